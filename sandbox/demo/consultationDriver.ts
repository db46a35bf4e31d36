// Plays a UK patient, the clinician and the pharmacy team for one consultation, through the HTTP API
// only; the stand-ins play Stripe, LexisNexis, SignatureRx and Royal Mail.
import type { StandIns } from '../standIns.js';

export type ConsultationDemoContext = {
  url: string;
  tokens: { prescriber: string; pharmacist: string; ops: string };
  standIns: StandIns;
  pollMs?: number;
};

// biome-ignore lint/suspicious/noExplicitAny: the demo reads API answers loosely, as a script would
type Json = Record<string, any>;

const call = async (
  ctx: ConsultationDemoContext,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) => {
  const response = await fetch(`${ctx.url}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = (text ? JSON.parse(text) : {}) as Json;
  if (response.status >= 400)
    throw new Error(`${method} ${path} → ${response.status} ${json.title ?? ''}: ${json.detail ?? ''}`);
  return json;
};

const staff = (token: string) => ({ authorization: `Bearer ${token}` });

/** One POM and one P product with answers that pass every auto-deny rule. */
export const DEMO_CONSULTATIONS = [
  {
    productId: 'follimax-finasteride-1mg',
    reviewer: 'prescriber' as const,
    answers: {
      dateOfBirth: '1988-02-14',
      sexAtBirth: 'male',
      registeredWithUkGp: true,
      gpPractice: 'Park View Surgery, 4 Elm Road, Bath',
      pattern: 'crown',
      conditions: ['none'],
      otherMedicines: 'none',
      answersTruthful: true,
    },
  },
  {
    productId: 'vireza-sildenafil-50mg',
    reviewer: 'pharmacist' as const,
    answers: {
      dateOfBirth: '1979-11-30',
      sexAtBirth: 'male',
      registeredWithUkGp: true,
      gpPractice: 'Castle Medical Centre, Bristol',
      advisedAgainstSex: false,
      recentHeartAttackOrStroke: false,
      lowBloodPressure: false,
      interactingMedicines: ['none'],
      conditions: ['none'],
      otherMedicines: 'none',
      answersTruthful: true,
    },
  },
];

export const driveConsultation = async (ctx: ConsultationDemoContext, index: number, runId: string) => {
  const demo = DEMO_CONSULTATIONS[index % DEMO_CONSULTATIONS.length]!;
  const started = await call(ctx, 'POST', '/api/consultations', {
    productId: demo.productId,
    patient: {
      firstName: 'Demo',
      lastName: `Patient${index}`,
      email: `demo.${runId}.${index}@example.co.uk`,
      address: { line1: `${index + 1} Orchard Row`, town: 'Bath', postcode: 'BA1 2LX' },
    },
    consentToInformGp: true,
  });
  const id: string = started.consultationId;
  const patient = { 'x-consultation-token': started.token as string };
  const waitFor = async (statuses: readonly string[]) => {
    for (let i = 0; i < 4_000; i++) {
      const view = await call(ctx, 'GET', `/api/consultations/${id}`, undefined, patient);
      if (statuses.includes(view.status)) return view;
      await new Promise((resolve) => setTimeout(resolve, ctx.pollMs ?? 25));
    }
    throw new Error(`consultation ${id} did not reach ${statuses.join(' or ')}`);
  };

  const product = await call(ctx, 'GET', `/api/catalogue/${demo.productId}`);
  for (const step of product.questionnaire.steps as { id: string; questions: { id: string }[] }[]) {
    const answers = Object.fromEntries(
      step.questions.filter((q) => q.id in demo.answers).map((q) => [q.id, (demo.answers as Json)[q.id]]),
    );
    await call(ctx, 'PUT', `/api/consultations/${id}/answers/${step.id}`, { answers }, patient);
  }
  await call(ctx, 'POST', `/api/consultations/${id}/submit`, {}, patient);
  const checkout = await call(
    ctx,
    'POST',
    `/api/consultations/${id}/checkout`,
    { plan: { kind: 'one_off' } },
    patient,
  );
  await ctx.standIns.stripe.payCheckoutSession(checkout.checkoutSessionId);

  await waitFor(['in_clinical_review']);
  // The review queue is its own read model: wait until the case is in it.
  for (let i = 0; i < 4_000; i++) {
    const found = await fetch(`${ctx.url}/api/review/cases/${id}`, {
      headers: staff(ctx.tokens[demo.reviewer]),
    });
    await found.arrayBuffer();
    if (found.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, ctx.pollMs ?? 25));
  }
  await call(
    ctx,
    'POST',
    `/api/review/cases/${id}/approve`,
    { notes: 'Suitable', registrationNumber: '7654321' },
    staff(ctx.tokens[demo.reviewer]),
  );
  if (demo.reviewer === 'prescriber') {
    await waitFor(['approved']);
    let prescriptionId: string | undefined;
    for (let i = 0; i < 4_000 && !prescriptionId; i++) {
      prescriptionId = (
        await call(ctx, 'GET', `/api/review/cases/${id}`, undefined, staff(ctx.tokens.prescriber))
      ).prescription?.id;
      if (!prescriptionId) await new Promise((resolve) => setTimeout(resolve, ctx.pollMs ?? 25));
    }
    ctx.standIns.signatureRx.sign(prescriptionId!);
  }
  await waitFor(['prescribed', 'dispatch_pending']);
  // GP letter first (the pharmacy may not pack before the GP is told), then slip and pack.
  for (let i = 0; i < 4_000; i++) {
    const packed = await fetch(`${ctx.url}/api/pharmacy/consultations/${id}/pack`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...staff(ctx.tokens.ops) },
      body: '{}',
    });
    await packed.arrayBuffer();
    if (packed.status === 200) break;
    await fetch(`${ctx.url}/api/pharmacy/consultations/${id}/slip`, { headers: staff(ctx.tokens.ops) }).then(
      (r) => r.arrayBuffer(),
    );
    await fetch(`${ctx.url}/api/pharmacy/consultations/${id}/slip/printed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...staff(ctx.tokens.ops) },
      body: '{}',
    }).then((r) => r.arrayBuffer());
    await new Promise((resolve) => setTimeout(resolve, ctx.pollMs ?? 25));
  }
  const dispatched = await waitFor(['dispatched']);
  const tracking =
    dispatched.shipments?.at(-1)?.trackingNumber ??
    (
      await call(ctx, 'GET', `/api/pharmacy/consultations/${id}`, undefined, staff(ctx.tokens.ops))
    ).shipments.at(-1).trackingNumber;
  await ctx.standIns.royalMail.advance(tracking, 'delivered');
  const done = await waitFor(['delivered', 'plan_completed', 'delivery_failed']);
  return { consultationId: id, finalStatus: done.status as string };
};
