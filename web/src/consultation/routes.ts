/** The UK consultation pages, decided from the URL alone like every other page of the app. */
export const PHARMACY_VIEWS = ['dispensing', 'exceptions', 'identity', 'stalled', 'drafts', 'all'] as const;
export type PharmacyView = (typeof PHARMACY_VIEWS)[number];
export type ReviewQueue = 'prescriber' | 'pharmacist';

export type ConsultationRoute =
  | { page: 'uk-catalogue' }
  | { page: 'uk-product'; productId: string }
  | { page: 'uk-consultation'; consultationId: string; token: string | null; justPaid: boolean }
  | { page: 'uk-review'; queue: ReviewQueue | null }
  | { page: 'uk-review-case'; consultationId: string }
  | { page: 'uk-pharmacy'; view: PharmacyView }
  | { page: 'uk-pharmacy-case'; consultationId: string }
  | { page: 'uk-stock' };

const segment = (value: string) => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

const one = (pattern: RegExp, path: string) => {
  const match = pattern.exec(path);
  return match ? segment(match[1]!) : null;
};

/** `path` without its trailing slash; null when it is none of the consultation pages. */
export const matchConsultationRoute = (path: string, params: URLSearchParams): ConsultationRoute | null => {
  if (path === '/treatments') return { page: 'uk-catalogue' };
  const productId = one(/^\/treatments\/([^/]+)$/, path);
  if (productId) return { page: 'uk-product', productId };
  const consultationId = one(/^\/consultations\/([^/]+)$/, path);
  if (consultationId)
    return {
      page: 'uk-consultation',
      consultationId,
      token: params.get('token') || null,
      justPaid: params.get('paid') === '1',
    };
  if (path === '/review') {
    const queue = params.get('queue');
    return { page: 'uk-review', queue: queue === 'prescriber' || queue === 'pharmacist' ? queue : null };
  }
  const reviewId = one(/^\/review\/([^/]+)$/, path);
  if (reviewId) return { page: 'uk-review-case', consultationId: reviewId };
  if (path === '/pharmacy') {
    const view = params.get('view');
    return {
      page: 'uk-pharmacy',
      view: (PHARMACY_VIEWS as readonly string[]).includes(view ?? '')
        ? (view as PharmacyView)
        : 'dispensing',
    };
  }
  if (path === '/pharmacy/stock') return { page: 'uk-stock' };
  const pharmacyId = one(/^\/pharmacy\/consultations\/([^/]+)$/, path);
  if (pharmacyId) return { page: 'uk-pharmacy-case', consultationId: pharmacyId };
  return null;
};

/** Patients reach these without a staff session: no sign-in, no staff header. */
export const isConsultationPatientRoute = (route: { page: string }) =>
  route.page === 'uk-catalogue' || route.page === 'uk-product' || route.page === 'uk-consultation';

/** The staff pages of the consultation flow, by path: who may open them is decided in staffAccess.ts. */
export const isClinicalPath = (pathname: string) => /^\/(?:review|pharmacy|clinic)(?:\/|$)/.test(pathname);
