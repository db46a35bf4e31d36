import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE, manualClock } from '../../src/platform/clock.js';
import { type ConsultationSteps, consultationSteps, HAIR_LOSS } from '../support/consultationSteps.js';
import { type Harness, startHarness } from '../support/platformHarness.js';

/** Notification batching: with REVIEW_NOTIFICATIONS=digest clinicians get one e-mail per queue per window. */
const clock = manualClock('2026-11-02T09:10:00.000Z');
let harness: Harness;
let steps: ConsultationSteps;
beforeAll(async () => {
  harness = await startHarness({
    clock,
    env: { REVIEW_NOTIFICATIONS: 'digest', REVIEW_DIGEST_MINUTES: '60' },
  });
  steps = await consultationSteps(harness, clock);
});
afterAll(() => harness?.close());

describe('notification batching', () => {
  it('sends prescribers one digest for the hour instead of an e-mail per case', async () => {
    const first = await steps.paidConsultation(HAIR_LOSS, { kind: 'one_off' });
    const second = await steps.paidConsultation(HAIR_LOSS, { kind: 'one_off' });
    await steps.settle();
    const toPrescribers = () => steps.mailsTo('prescribers@pharmacy.example.org');
    expect(toPrescribers()).toEqual([]);

    await steps.advance(49 * MINUTE); // 09:59
    expect(toPrescribers()).toEqual([]);
    await steps.advance(1 * MINUTE); // 10:00, the window closes
    const digests = toPrescribers();
    expect(digests.map((m) => m.subject)).toEqual(['2 consultations waiting in the prescriber queue']);
    expect(digests[0]!.text).toContain(first.id);
    expect(digests[0]!.text).toContain(second.id);

    await steps.advance(60 * MINUTE);
    expect(toPrescribers()).toHaveLength(1); // nothing new queued, no new digest
  });
});
