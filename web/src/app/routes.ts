import {
  type ConsultationRoute,
  isConsultationPatientRoute,
  matchConsultationRoute,
} from '../consultation/routes.js';
import { matchReferenceRoute, type ReferenceRoute } from '../reference/routes.js';

/** Every page of the app, decided from the URL alone so a link or a reload lands on the same page. */
export type Route =
  | ConsultationRoute
  | ReferenceRoute
  | { page: 'login' }
  | { page: 'console' }
  | { page: 'order'; orderId: string }
  | { page: 'patient-order'; orderId: string; token: string; justPaid: boolean }
  | { page: 'enroll'; token: string }
  | { page: 'audit'; orderId: string | null; consultationId: string | null }
  | { page: 'compliance'; from: string | null; to: string | null }
  | { page: 'admin-staff' }
  | { page: 'admin-staff-member'; staffId: string }
  | { page: 'change-password' }
  | { page: 'incidents' }
  | { page: 'sandbox' }
  | { page: 'not-found' };

const segment = (value: string) => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/**
 * `/orders/:id` with a `token` (in the fragment as e-mailed, which no server receives, or in the
 * query as older links had it) is the patient's status page; without one, the staff detail.
 */
export const matchRoute = (pathname: string, search: string, hash = ''): Route => {
  const params = new URLSearchParams(search);
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return { page: 'console' };
  if (path === '/login') return { page: 'login' };
  if (path === '/audit/compliance')
    return { page: 'compliance', from: params.get('from') || null, to: params.get('to') || null };
  if (path === '/audit')
    return {
      page: 'audit',
      orderId: params.get('order') || null,
      consultationId: params.get('order') ? null : params.get('consultation') || null,
    };
  if (path === '/admin/staff') return { page: 'admin-staff' };
  const member = /^\/admin\/staff\/([^/]+)$/.exec(path);
  if (member) return { page: 'admin-staff-member', staffId: segment(member[1]!) };
  if (path === '/account/password') return { page: 'change-password' };
  if (path === '/operations/incidents') return { page: 'incidents' };
  if (path === '/sandbox') return { page: 'sandbox' };
  const order = /^\/orders\/([^/]+)$/.exec(path);
  if (order) {
    const orderId = segment(order[1]!);
    const token = new URLSearchParams(hash.replace(/^#/, '')).get('token') || params.get('token');
    return token
      ? { page: 'patient-order', orderId, token, justPaid: params.get('paid') === '1' }
      : { page: 'order', orderId };
  }
  const enroll = /^\/enroll\/([^/]+)$/.exec(path);
  if (enroll) return { page: 'enroll', token: segment(enroll[1]!) };
  return matchReferenceRoute(path) ?? matchConsultationRoute(path, params) ?? { page: 'not-found' };
};

/** Pages patients reach from an e-mail: they never ask for (or reveal) a staff session. */
export const isPatientRoute = (route: Route) =>
  route.page === 'enroll' || route.page === 'patient-order' || isConsultationPatientRoute(route);
