import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consultationSteps, patientDetails } from '../support/consultationSteps.js';
import { FIXTURE_PATIENT_PHI, logCapture, phiFoundIn } from '../support/logCapture.js';
import { apiClient, type Harness, newRxWith, startHarness } from '../support/platformHarness.js';

const logs = logCapture();
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ env: { LOG_LEVEL: 'debug' }, logStream: logs.stream });
}, 120_000);
afterAll(() => harness?.close());

const NUL = '\u0000';

const expectClientProblem = (response: { status: number; headers: Headers; body: unknown }, what: string) => {
  expect(response.status, `${what}: ${JSON.stringify(response.body)}`).toBeGreaterThanOrEqual(400);
  expect(response.status, `${what}: ${JSON.stringify(response.body)}`).toBeLessThan(500);
  expect(response.headers.get('content-type'), what).toMatch(/^application\/problem\+json/);
};

describe('NUL bytes (finding 3)', () => {
  it('refuses a NewRx with a raw NUL before claiming its MessageID, so the corrected message is taken in', async () => {
    const api = apiClient(harness.url);
    const headers = { 'x-api-key': harness.composition.intakeApiKey, 'content-type': 'application/xml' };
    const messageId = `nul-name-${Date.now()}`;
    const hostile = await newRxWith(messageId, {
      '<LastName>Okafor</LastName>': `<LastName>Oka${NUL}for</LastName>`,
    });
    for (let attempt = 1; attempt <= 3; attempt++)
      expectClientProblem(await api.post('/api/intake', hostile, headers), `attempt ${attempt}`);

    const corrected = await api.post('/api/intake', await newRxWith(messageId), headers);
    expect(corrected.status, JSON.stringify(corrected.body)).toBe(202);

    const nulMessageId = await newRxWith(`nul-${NUL}-id-${Date.now()}`);
    expectClientProblem(await api.post('/api/intake', nulMessageId, headers), 'NUL in MessageID');
  });

  it('answers 4xx to a NUL in any staff or patient input, body, query or path', async () => {
    const steps = await consultationSteps(harness);
    const admin = apiClient(harness.url);
    await admin.signIn('admin@pharmacy.example.org', 'admin-password-for-local-runs');
    const order = (
      await steps.ops.post('/api/intake', await newRxWith(`nul-order-${Date.now()}`), {
        'x-api-key': harness.composition.intakeApiKey,
        'content-type': 'application/xml',
      })
    ).body.orderId as string;

    const cases: [string, () => Promise<{ status: number; headers: Headers; body: unknown }>][] = [
      [
        'login e-mail',
        () =>
          apiClient(harness.url).post('/api/auth/login', {
            email: `ops${NUL}@pharmacy.example.org`,
            password: 'x'.repeat(12),
          }),
      ],
      [
        'consultation start',
        () =>
          steps.patient.post('/api/consultations', {
            productId: 'follimax-finasteride-1mg',
            patient: { ...patientDetails(), firstName: `Ame${NUL}lia` },
            consentToInformGp: true,
          }),
      ],
      [
        'staff displayName',
        () =>
          admin.post('/api/admin/staff', {
            email: `nul${Date.now()}@pharmacy.example.org`,
            displayName: `Bad${NUL}Name`,
            password: 'a long enough password',
            roles: ['ops'],
          }),
      ],
      [
        'stock note',
        () =>
          steps.ops.post('/api/pharmacy/stock/follimax-finasteride-1mg/receipts', {
            quantity: 1,
            note: `deli${NUL}very`,
          }),
      ],
      [
        'cancel reason',
        () => steps.ops.post(`/api/orders/${order}/cancel`, { reason: `no${NUL}pe, not wanted` }),
      ],
      ['?q=', () => steps.ops.get('/api/orders?q=%00')],
      ['order path id', () => steps.ops.get('/api/orders/%00')],
      ['order events path id', () => steps.ops.get('/api/orders/ab%00cd/events')],
      ['consultation path id', () => steps.ops.get('/api/pharmacy/consultations/%00')],
      [
        'patient order path id',
        () => steps.patient.get('/api/patient/orders/%00', { 'x-status-token': 'x'.repeat(43) }),
      ],
    ];
    const answers: Record<string, string> = {};
    for (const [what, call] of cases) {
      const response = await call();
      const problemJson = /^application\/problem\+json/.test(response.headers.get('content-type') ?? '');
      answers[what] =
        response.status >= 400 && response.status < 500 && problemJson
          ? '4xx problem'
          : String(response.status);
    }
    expect(answers).toEqual(Object.fromEntries(cases.map(([what]) => [what, '4xx problem'])));
  });

  it('keeps patient data out of the logs, database errors included', () => {
    expect(logs.lines.length).toBeGreaterThan(0);
    expect(phiFoundIn(logs.lines, FIXTURE_PATIENT_PHI)).toEqual([]);
  });
});
