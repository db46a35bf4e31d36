// Plays a UK patient, the clinician and the pharmacy team for one consultation, through the HTTP API
// only; the stand-ins play Stripe, LexisNexis, SignatureRx and Royal Mail. Like the order driver it
// acts on the status it finds, again and again, so it finishes even while the platform restarts.
import { type ApiCaller, type Json, ok, pause, tolerantApi } from './http.js';
import type { DemoVendors } from './vendors.js';

export type ConsultationDemoContext = {
  url: string;
  tokens: { prescriber: string; pharmacist: string; ops: string };
  vendors: DemoVendors;
  pollMs?: number;
  /** How long one consultation may take before the driver gives up on it. */
  deadlineMs?: number;
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

/** Where a consultation ends for this driver: delivered, or a refusal it cannot undo. */
const TERMINAL = new Set([
  'delivered',
  'plan_completed',
  'auto_denied',
  'rejected',
  'refunded',
  'cancelled',
  'abandoned',
  'delivery_failed',
  'consultation_required',
]);

export const driveConsultation = async (ctx: ConsultationDemoContext, index: number, runId: string) => {
  const api: ApiCaller = tolerantApi(ctx.url);
  const demo = DEMO_CONSULTATIONS[index % DEMO_CONSULTATIONS.length]!;
  const started = ok(
    await api('POST', '/api/consultations', {
      body: {
        productId: demo.productId,
        patient: {
          firstName: 'Demo',
          lastName: `Patient${index}`,
          email: `demo.${runId}.${index}@example.co.uk`,
          address: { line1: `${index + 1} Orchard Row`, town: 'Bath', postcode: 'BA1 2LX' },
        },
        consentToInformGp: true,
      },
      // A start repeated after a lost answer reaches the same consultation.
      headers: { 'idempotency-key': `demo-${runId}-${index}` },
    }),
    'start consultation',
  );
  const id: string = started.consultationId;
  const patient = { 'x-consultation-token': started.token as string };
  const reviewer = staff(ctx.tokens[demo.reviewer]);
  const team = staff(ctx.tokens.ops);
  const done = new Set<string>();
  const deadline = Date.now() + (ctx.deadlineMs ?? 300_000);

  const once = async (key: string, step: () => Promise<unknown>) => {
    if (done.has(key)) return;
    await step();
    done.add(key);
  };

  const fillIn = async () => {
    const product = ok(await api('GET', `/api/catalogue/${demo.productId}`), 'catalogue');
    for (const step of product.questionnaire.steps as { id: string; questions: { id: string }[] }[]) {
      const answers = Object.fromEntries(
        step.questions.filter((q) => q.id in demo.answers).map((q) => [q.id, (demo.answers as Json)[q.id]]),
      );
      await api('PUT', `/api/consultations/${id}/answers/${step.id}`, {
        body: { answers },
        headers: patient,
      });
    }
    await api('POST', `/api/consultations/${id}/submit`, { body: {}, headers: patient });
  };

  const act = async (view: Json) => {
    switch (view.status) {
      case 'draft':
        return fillIn();
      case 'awaiting_payment': {
        // A new checkout closes an open one; a payment already made answers PAYMENT_IN_PROGRESS.
        const checkout = await api('POST', `/api/consultations/${id}/checkout`, {
          body: { plan: { kind: 'one_off' } },
          headers: patient,
        });
        if (checkout.status === 201) {
          await ctx.vendors.payCheckout(checkout.body.checkoutSessionId).catch(() => undefined);
        }
        return;
      }
      case 'in_clinical_review':
        // The review queue is its own read model: until it has the case, approving answers 404.
        return api('POST', `/api/review/cases/${id}/approve`, {
          body: { notes: 'Suitable', registrationNumber: '7654321' },
          headers: reviewer,
        });
      case 'approved': {
        if (demo.reviewer !== 'prescriber') return;
        const review = await api('GET', `/api/review/cases/${id}`, { headers: reviewer });
        const prescriptionId = review.body.prescription?.id as string | undefined;
        if (prescriptionId) {
          await once(`sign:${prescriptionId}`, async () => ctx.vendors.signPrescription(prescriptionId));
        }
        return;
      }
      case 'prescribed':
      case 'dispatch_pending': {
        // GP letter first (the pharmacy may not pack before the GP is told), then slip and pack.
        const packed = await api('POST', `/api/pharmacy/consultations/${id}/pack`, {
          body: {},
          headers: team,
        });
        if (packed.status === 200) return;
        await api('GET', `/api/pharmacy/consultations/${id}/slip`, { headers: team });
        await api('POST', `/api/pharmacy/consultations/${id}/slip/printed`, { body: {}, headers: team });
        return;
      }
      case 'dispatched': {
        const tracking =
          view.shipments?.at(-1)?.trackingNumber ??
          (await api('GET', `/api/pharmacy/consultations/${id}`, { headers: team })).body.shipments?.at(-1)
            ?.trackingNumber;
        if (tracking) {
          await once(`delivered:${tracking}`, async () => ctx.vendors.deliverUkParcel(tracking));
        }
        return;
      }
      default:
        return; // identity checks and the vendors' processes move every other status
    }
  };

  for (;;) {
    const read = await api('GET', `/api/consultations/${id}`, { headers: patient });
    const view = read.status === 200 ? read.body : null;
    if (view && TERMINAL.has(view.status)) return { consultationId: id, finalStatus: view.status as string };
    if (Date.now() > deadline) throw new Error(`consultation ${id} stopped at ${view?.status ?? 'unknown'}`);
    if (view) await act(view);
    await pause(ctx.pollMs ?? 50);
  }
};
