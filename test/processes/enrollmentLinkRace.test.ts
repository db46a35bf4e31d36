import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPlatform, type Platform } from '../../src/app/platform.js';
import { createOrderCommands, type OrderCommands } from '../../src/commands/prescription/orderCommands.js';
import type { Mailer, OutgoingMail } from '../../src/integrations/email/port.js';
import { systemClock } from '../../src/platform/clock.js';
import { silentLogger } from '../../src/platform/logger.js';
import { projectRoot } from '../../src/platform/paths.js';
import type { PrescriptionProcessDeps } from '../../src/processes/prescription/deps.js';
import { notificationsProcess } from '../../src/processes/prescription/notifications.js';
import { enrollmentLinksProjection } from '../../src/projections/orders/ordersProjection.js';
import type { Projection } from '../../src/projections/runtime.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
let platform: Platform;
let commands: OrderCommands;

/** The enrollment-links read model, held back until the test lets its batches through. */
let openGate: () => void = () => {};
const gate = new Promise<void>((resolve) => {
  openGate = resolve;
});
const laggingLinks: Projection = {
  ...enrollmentLinksProjection,
  async applyBatch(client, events) {
    await gate;
    await enrollmentLinksProjection.applyBatch(client, events);
  },
};

/** What a patient who clicks the instant the e-mail arrives would get. */
const answersAtDelivery: { outcome: string }[] = [];
let delivered: (mail: OutgoingMail) => void = () => {};
const deliveredMail = new Promise<OutgoingMail>((resolve) => {
  delivered = resolve;
});
const instantClicker: Mailer = {
  async send(mail) {
    const token = /\/enroll\/([A-Za-z0-9_-]+)/.exec(mail.text)?.[1] ?? '';
    const outcome = await commands.enrollmentFor(token).then(
      () => 'answered',
      (error: Error & { code?: string }) => error.code ?? error.message,
    );
    answersAtDelivery.push({ outcome });
    delivered(mail);
    return { messageId: mail.idempotencyKey };
  },
};

beforeAll(async () => {
  db = await createTestDatabase();
  platform = await openPlatform({ databaseUrl: db.connectionString, log: silentLogger, pollIntervalMs: 50 });
  const linkSecret = 'a-link-secret-for-this-test-only-0123456789';
  commands = createOrderCommands({
    store: platform.store,
    pool: platform.db.pool,
    clock: systemClock,
    documents: {} as never,
    linkSecret,
    linkTtlHours: 72,
  });
  const deps = {
    commands,
    pool: platform.db.pool,
    clock: systemClock,
    mailer: instantClicker,
    linkSecret,
    publicUrl: 'https://pharmacy.example.org',
  } as unknown as PrescriptionProcessDeps;
  platform.run({ projections: [laggingLinks], processes: [notificationsProcess(deps)] });
});
afterAll(async () => {
  openGate();
  await platform?.close();
  await db?.drop();
});

describe('the enrollment link e-mail and the read model that answers the link', () => {
  it('given the link read model lagging, when the link is issued, then its e-mail goes out only once the link answers', async () => {
    const xml = await readFile(
      join(projectRoot, 'test', 'fixtures', 'ncpdp', 'newrx-specialty-valid.xml'),
      'utf8',
    );
    const actor = { actor: 'staff:test' };
    const received = await commands.receiveNewRx(xml, actor);
    if (received.kind !== 'accepted') throw new Error('intake refused the sample');
    await commands.execute(
      received.orderId,
      {
        type: 'RecordValidation',
        outcome: { ok: true, normalisedNdc: '00000000000' },
        now: new Date().toISOString(),
      },
      actor,
    );
    await commands.issueEnrollmentLink(received.orderId, 'patient@example.com', actor);

    // Let the read model through once the e-mail has gone out, or after 2 s if it is (rightly)
    // waiting for the read model: either way the e-mail's moment is what is judged.
    const waited = setTimeout(openGate, 2_000);
    const mail = await deliveredMail;
    clearTimeout(waited);
    openGate();

    expect(mail.to).toBe('patient@example.com');
    expect(answersAtDelivery).toEqual([{ outcome: 'answered' }]);
  });
});
