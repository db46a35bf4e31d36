import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patientStatusToken } from '../../src/commands/prescription/tokens.js';
import type { RouteAccess } from '../../src/http/access.js';
import { consultationSteps, HAIR_LOSS } from '../support/consultationSteps.js';
import { apiClient, type Harness, newRxWith, startHarness } from '../support/platformHarness.js';
import { prescriptionSteps } from '../support/prescriptionSteps.js';

/**
 * Every route the OpenAPI document lists, called as every kind of caller: each staff role, an
 * anonymous caller, a prescriber system with an intake key, and a patient holding another
 * patient's links. The list comes from /docs/json at run time, so a route added tomorrow is in the
 * matrix tomorrow; a route that does not declare who may call it fails here.
 */
let harness: Harness;

type Principal = {
  name: string;
  headers: Record<string, string>;
  roles: string[];
  kind: 'anonymous' | 'staff' | 'patient' | 'intake';
};

let principals: Principal[] = [];
/** The subjects path parameters point at: an order and a consultation none of the patients here own. */
const subject = { order: '', consultation: '', step: '', staffId: '' };

type WsClient = {
  on(event: 'open', listener: () => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(
    event: 'unexpected-response',
    listener: (request: { destroy(): void }, response: { statusCode?: number }) => void,
  ): void;
  close(): void;
};
const WebSocket = createRequire(import.meta.url)('ws') as new (
  url: string,
  options?: { headers?: Record<string, string> },
) => WsClient;

beforeAll(async () => {
  harness = await startHarness();
  const steps = prescriptionSteps(harness);
  await steps.api.signIn('ops@pharmacy.example.org', harness.passwords.ops!);
  // The subject order, and another patient's order whose links that patient holds.
  subject.order = await steps.intake(await newRxWith(`matrix-a-${Date.now()}`));
  const theirs = await steps.validatedOrder(`matrix-b-${Date.now()}`);
  const enrollmentToken = await steps.startEnrollment(theirs);
  const theirStatusToken = patientStatusToken(harness.composition.linkSecret, theirs, new Date());

  const uk = await consultationSteps(harness);
  const ours = await uk.start(HAIR_LOSS);
  const other = await uk.start(HAIR_LOSS);
  subject.consultation = ours.id;
  const product = (await apiClient(harness.url).get(`/api/catalogue/${HAIR_LOSS}`)).body;
  subject.step = product.questionnaire.steps[0].id;

  const staff = async (role: string, email: string, password: string) => {
    const api = apiClient(harness.url);
    const signed = await api.signIn(email, password);
    return {
      name: role,
      roles: signed.user.roles as string[],
      kind: 'staff' as const,
      headers: { authorization: `Bearer ${signed.token}` },
    };
  };
  principals = [
    { name: 'anonymous', roles: [], kind: 'anonymous', headers: {} },
    ...(await Promise.all(
      (['ops', 'pharmacist', 'prescriber', 'auditor'] as const).map((role) =>
        staff(role, `${role}@pharmacy.example.org`, harness.passwords[role]!),
      ),
    )),
    await staff('admin', 'admin@pharmacy.example.org', 'admin-password-for-local-runs'),
    {
      name: 'another patient',
      roles: [],
      kind: 'patient',
      headers: {
        'x-enrollment-token': enrollmentToken,
        'x-status-token': theirStatusToken,
        'x-consultation-token': other.token,
      },
    },
    {
      name: 'intake system',
      roles: [],
      kind: 'intake',
      headers: { 'x-api-key': harness.composition.intakeApiKey },
    },
  ];
  subject.staffId = (await steps.api.get('/api/staff/directory')).body.staff[0].id;
}, 180_000);
afterAll(() => harness?.close());

/** A path from the document with its parameters filled in with real subjects. */
const concrete = (path: string) =>
  path
    .replace(/^\/api\/admin\/staff\/\{id\}/, `/api/admin/staff/${subject.staffId}`)
    .replace(/^\/api\/(orders|patient\/orders)\/\{id\}/, (_m, base) => `/api/${base}/${subject.order}`)
    .replace(/\{id\}/, subject.consultation)
    .replace('{stepId}', subject.step)
    .replace('{side}', 'front')
    .replace('{productId}', HAIR_LOSS)
    .replace('{subscription}', 'process:prescription-validation')
    .replace('{eventId}', '00000000-0000-4000-8000-000000000000')
    .replace('{name}', 'no-such-key');

/** Whether the declaration admits the principal on this route. */
const admits = (access: RouteAccess, principal: Principal, path: string): boolean => {
  switch (access.kind) {
    case 'public':
      return true;
    case 'session':
      return principal.kind === 'staff';
    case 'staff':
      return (
        principal.kind === 'staff' &&
        (access.roles.length === 0 || access.roles.some((r) => principal.roles.includes(r)))
      );
    case 'intake-key':
      return principal.kind === 'intake';
    case 'vendor':
      return false;
    case 'patient':
      // Enrollment names no order in its path: the token is the patient's own. Elsewhere the path
      // names someone else's order or consultation.
      return principal.kind === 'patient' && !path.includes('{id}');
  }
};

type Operation = { method: string; path: string; access: RouteAccess | 'undeclared' };

const documentedOperations = async (): Promise<Operation[]> => {
  const doc = (await (await fetch(`${harness.url}/docs/json`)).json()) as {
    paths: Record<string, Record<string, { 'x-access'?: RouteAccess | 'undeclared' }>>;
  };
  return Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      access: op['x-access'] ?? 'undeclared',
    })),
  );
};

const call = async (operation: Operation, principal: Principal) => {
  const hasBody = operation.method !== 'GET' && operation.method !== 'DELETE';
  const xml = operation.path === '/api/intake';
  const response = await fetch(`${harness.url}${concrete(operation.path)}`, {
    method: operation.method,
    headers: {
      ...principal.headers,
      ...(hasBody ? { 'content-type': xml ? 'application/xml' : 'application/json' } : {}),
    },
    body: hasBody ? (xml ? await newRxWith(`matrix-${Math.random()}`) : '{}') : undefined,
    redirect: 'manual',
  });
  await response.arrayBuffer();
  return response.status;
};

describe('the authorisation matrix', () => {
  it('covers every documented route, each declaring who may call it', async () => {
    const operations = await documentedOperations();
    expect(operations.length).toBeGreaterThan(60);
    expect(operations.filter((o) => o.access === 'undeclared').map((o) => `${o.method} ${o.path}`)).toEqual(
      [],
    );
    expect(operations.filter((o) => !/^\/(api|webhook)\//.test(o.path))).toEqual([]);
  });

  it('admits to the live socket only staff whose roles see live changes', async () => {
    const outcome = (principal: Principal) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(`${harness.url.replace('http', 'ws')}/api/live`, {
          headers: principal.headers,
        });
        socket.on('open', () => {
          socket.close();
          resolve('open');
        });
        socket.on('unexpected-response', (request, response) => {
          request.destroy();
          resolve(String(response.statusCode));
        });
        socket.on('error', () => resolve('error'));
      });
    const seen = Object.fromEntries(
      await Promise.all(principals.map(async (p) => [p.name, await outcome(p)])),
    );
    expect(seen).toEqual({
      anonymous: '401',
      ops: 'open',
      pharmacist: 'open',
      prescriber: 'open',
      auditor: 'open',
      admin: '403',
      'another patient': '401',
      'intake system': '401',
    });
  });

  it('lets each principal through exactly the routes declared for it, and no other', async () => {
    // Sign-out last: it ends the caller's session.
    const operations = (await documentedOperations()).sort(
      (a, b) => Number(a.path === '/api/auth/logout') - Number(b.path === '/api/auth/logout'),
    );
    const wrong: string[] = [];
    let cells = 0;
    const tally = { allowed: 0, refused: 0 };
    for (const operation of operations) {
      if (operation.access === 'undeclared') continue;
      for (const principal of principals) {
        const status = await call(operation, principal);
        cells += 1;
        const allowed = admits(operation.access, principal, operation.path);
        const refused = status === 401 || status === 403;
        tally[allowed ? 'allowed' : 'refused'] += 1;
        const verdict =
          status >= 500
            ? `answered ${status}`
            : allowed && refused
              ? `refused with ${status} but is declared for it`
              : !allowed && !refused && !(operation.access.kind === 'vendor' && status >= 400)
                ? `let through with ${status}`
                : null;
        if (verdict) wrong.push(`${principal.name}: ${operation.method} ${operation.path} ${verdict}`);
      }
    }
    expect(cells).toBeGreaterThan(500);
    // Both directions are really exercised: many cells let through, many more refused.
    expect(tally.allowed).toBeGreaterThan(100);
    expect(tally.refused).toBeGreaterThan(300);
    expect(wrong).toEqual([]);
  }, 300_000);
});
