import { describe, expect, it } from 'vitest';
import { identityProcess } from '../../../src/processes/consultation/identity.js';
import { journey } from '../../domain/consultation/fixtures.js';
import { consultationWorld, patientRecorded } from './harness.js';

const j = journey();

describe('the identity process manager', () => {
  it('given a consultation just paid for, when the payment is handled, then the patient is checked electronically and the pass recorded', async () => {
    const world = consultationWorld({ verification: 'pass' });
    await world.given(j.paid);
    await world.givenAccount(patientRecorded);
    const paid = await world.last('PaymentCaptured');
    const pm = identityProcess(world.deps);

    await world.deliver(pm, paid);

    expect(world.calls).toEqual([
      {
        port: 'identity',
        method: 'verify',
        input: {
          idempotencyKey: world.contextFor(pm, paid).idempotencyKey('verify'),
          person: {
            firstName: 'Sam',
            lastName: 'Carter',
            dateOfBirth: '1985-04-12',
            email: 'sam@example.com',
          },
          address: { line1: '2 Mill Lane', town: 'Leeds', postcode: 'LS2 7EW', country: 'GB' },
        },
      },
    ]);
    const appended = await world.appendedAfter(paid);
    expect(appended.map((e) => e.type)).toContain('IdentityVerified');
    expect(appended[0]!.metadata.causationId).toBe(paid.id);
  });

  it('given a consultation just paid for, when IDU refers the patient, then a photo ID is asked for', async () => {
    const world = consultationWorld({ verification: 'refer' });
    await world.given(j.paid);
    await world.givenAccount(patientRecorded);
    const paid = await world.last('PaymentCaptured');

    await world.deliver(identityProcess(world.deps), paid);

    const types = (await world.appendedAfter(paid)).map((e) => e.type);
    expect(types).toContain('IdDocumentRequested');
    expect(types).not.toContain('IdentityVerified');
  });
});
