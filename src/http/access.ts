import type { RouteOptions } from 'fastify';
import type { StaffRole } from './auth/roles.js';

/**
 * Who may call a route. Every route under /api and /webhook declares it: staff routes by their
 * `requireRoles(...)` guard (which carries its roles), every other one with `config.access`. The
 * OpenAPI document publishes each declaration as `x-access`, and the authorisation-matrix test
 * calls every documented route as every principal against it, so a route without one fails.
 */
export type RouteAccess =
  /** Signed-in staff holding one of `roles` (none listed: any staff member with a usable session). */
  | { kind: 'staff'; roles: StaffRole[] }
  /** Any signed-in session, even one that must change its password first (sign-out, who am I). */
  | { kind: 'session' }
  /** Anyone: health, sign-in, the catalogue, asking for a new patient link. */
  | { kind: 'public' }
  /** A patient holding the link for this very order or consultation. */
  | { kind: 'patient'; credential: 'enrollment-token' | 'status-token' | 'consultation-key' }
  /** A prescriber system holding an intake key. */
  | { kind: 'intake-key' }
  /** A vendor proving itself with a signature or a secret in the URL. */
  | { kind: 'vendor'; proof: string };

const STAFF_GUARD = Symbol.for('pharmacy.staffGuardRoles');

/** Marks a requireRoles preHandler with the roles it admits, so the route's access reads from it. */
export const markStaffGuard = <T extends object>(handler: T, roles: readonly StaffRole[]): T =>
  Object.assign(handler, { [STAFF_GUARD]: [...roles] });

/**
 * Routes whose files are being reworked elsewhere declare their access here until they carry it in
 * their own `config.access`. Keyed by `METHOD url`.
 */
const DECLARED_ELSEWHERE: Record<string, RouteAccess> = {
  'POST /webhook/stripe': { kind: 'vendor', proof: 'Stripe-Signature over the raw body' },
  'POST /webhook/shippo': { kind: 'vendor', proof: 'secret token in the URL' },
};

const guards = (preHandler: unknown): unknown[] =>
  Array.isArray(preHandler) ? preHandler : preHandler ? [preHandler] : [];

const staffRolesOf = (guard: unknown) => (guard as Record<symbol, StaffRole[] | undefined>)[STAFF_GUARD];

/**
 * Moves a route's staff guard from preHandler to preValidation, ahead of its other hooks: the route's
 * zod contract parses the request between the two, and a caller who may not use the route is refused
 * 401/403 before it, learning nothing of the contract from a 400.
 */
export const guardBeforeContract = (route: RouteOptions) => {
  const handlers = guards(route.preHandler);
  const staff = handlers.filter((guard) => staffRolesOf(guard));
  if (staff.length === 0) return;
  const rest = handlers.filter((guard) => !staffRolesOf(guard));
  route.preHandler = rest.length > 0 ? (rest as RouteOptions['preHandler']) : undefined;
  route.preValidation = [...staff, ...guards(route.preValidation)] as RouteOptions['preValidation'];
};

/** The access a route declares, or null when it declares none. */
export const declaredAccess = (
  route: Pick<RouteOptions, 'method' | 'url' | 'preHandler' | 'preValidation' | 'config'>,
): RouteAccess | null => {
  for (const guard of [...guards(route.preValidation), ...guards(route.preHandler)]) {
    const roles = staffRolesOf(guard);
    if (roles) return { kind: 'staff', roles };
  }
  const configured = (route.config as { access?: RouteAccess } | undefined)?.access;
  if (configured) return configured;
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  for (const method of methods) {
    const elsewhere = DECLARED_ELSEWHERE[`${method} ${route.url}`];
    if (elsewhere) return elsewhere;
  }
  return null;
};

/** The OpenAPI security requirement that goes with a declaration. */
export const securityOf = (access: RouteAccess | null): Record<string, string[]>[] | undefined => {
  switch (access?.kind) {
    case 'staff':
    case 'session':
      return [{ bearer: [] }, { sessionCookie: [] }];
    case 'patient':
      return [{ [access.credential]: [] }];
    case 'intake-key':
      return [{ intakeKey: [] }];
    case 'public':
      return [];
    default:
      return undefined;
  }
};
