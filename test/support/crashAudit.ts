import type { StandIns } from '../../sandbox/standIns.js';
import type { TestDatabase } from './database.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Until no e-mail waits to be sent and no timer is due: the platform has nothing left to do. */
export const waitUntilQuiet = async (database: TestDatabase) => {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const { rows } = await database.pool.query<{ pending: number }>(
      "SELECT count(*)::int AS pending FROM email_outbox WHERE status = 'pending'",
    );
    if (rows[0]!.pending === 0) return;
    await sleep(500);
  }
};

/** What the run left behind, in the database and at each vendor. */
export const audit = async (database: TestDatabase, vendors: StandIns) => {
  const count = async (sql: string) => (await database.pool.query<{ n: number }>(sql)).rows[0]!.n;
  const orders = await count(
    "SELECT count(DISTINCT stream_name)::int AS n FROM events WHERE event_type = 'PrescriptionReceived'",
  );
  const consultations = await count(
    "SELECT count(DISTINCT stream_name)::int AS n FROM events WHERE category = 'consultation'",
  );
  // An effect of a process or a vendor's webhook happens once: the same event twice in a stream
  // (same type, same data) is a repeat. People may repeat themselves; the platform may not.
  const { rows: duplicateEffects } = await database.pool.query<{ stream_name: string; event_type: string }>(
    `SELECT stream_name, event_type, count(*)::int AS n FROM events
      WHERE (metadata->>'actor' LIKE 'system:%' OR metadata->>'actor' LIKE 'webhook:%')
        AND event_type NOT LIKE 'Integration%'
      GROUP BY stream_name, event_type, data HAVING count(*) > 1`,
  );

  // Labels: every label Shippo sold is one the platform recorded, and no order has two.
  const recordedLabels = await count(
    "SELECT count(*)::int AS n FROM events WHERE event_type = 'ShippingLabelPurchased'",
  );
  const duplicateLabels = vendors.shippo.purchases().length - recordedLabels;

  const captured = [...vendors.stripe.state.charges.values()].filter((c) => c.status === 'succeeded');
  const perCase = new Map<string, number>();
  for (const charge of captured) {
    const intent = vendors.stripe.state.paymentIntents.get(charge.payment_intent);
    const ref = intent?.metadata.orderId ?? intent?.metadata.consultationId ?? charge.payment_intent;
    perCase.set(ref, (perCase.get(ref) ?? 0) + 1);
  }
  const duplicateCharges = [...perCase.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);

  const refundKeys = new Map<string, number>();
  for (const refund of vendors.stripe.listRefunds()) {
    const key = refund.metadata.idempotencyKey ?? refund.id;
    refundKeys.set(key, (refundKeys.get(key) ?? 0) + 1);
  }
  const duplicateRefunds = [...refundKeys.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);

  const byReference = (refs: readonly (string | undefined)[]) => {
    const seen = new Map<string, number>();
    for (const ref of refs) if (ref) seen.set(ref, (seen.get(ref) ?? 0) + 1);
    return [...seen.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
  };
  const duplicateRoyalMailOrders = byReference(vendors.royalMail.orders().map((o) => o.orderReference));
  const duplicatePrescriptions = byReference(
    vendors.signatureRx.prescriptions().map((p) => p.clinicReference),
  );

  const mails = vendors.mailbox.messages();
  const distinct = new Set(mails.map((m) => m.messageId ?? m.id));
  const seen = new Set<string>();
  const repeatedEmails = mails.flatMap((m) => {
    const key = m.messageId ?? m.id;
    if (!seen.has(key)) {
      seen.add(key);
      return [];
    }
    return [`${m.subject} (${m.messageId})`];
  });
  return {
    orders,
    consultations,
    duplicateEffects,
    duplicateLabels,
    duplicateCharges,
    duplicateRefunds,
    duplicateRoyalMailOrders,
    duplicatePrescriptions,
    emails: mails.length,
    duplicateEmails: mails.length - distinct.size,
    repeatedEmails,
  };
};
