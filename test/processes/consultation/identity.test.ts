import { describe, expect, it } from 'vitest';
import { accountStream } from '../../../src/domain/consultation/account.js';
import { identityProcess } from '../../../src/processes/consultation/identity.js';
import { journey } from '../../domain/consultation/fixtures.js';
import { CONSULTATION_ID, consultationWorld, NOW, patientRecorded } from './harness.js';

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

  it('given a photo ID uploaded for manual review, when the upload is handled, then IDU checks the document and its answer is kept for the reviewer', async () => {
    const world = consultationWorld();
    const key = `consultations/${CONSULTATION_ID}/id-driving_licence-abc123`;
    await world.deps.documents.put({
      key,
      body: Buffer.from('jpeg'),
      contentType: 'image/jpeg',
      metadata: {},
    });
    world.calls.length = 0;
    await world.given([
      ...j.paid,
      { type: 'IdDocumentRequested', data: { requestedAt: '2026-03-02T09:26:00.000Z' } },
      {
        type: 'IdDocumentUploaded',
        data: {
          document: { key, contentType: 'image/jpeg', sha256: 'abc123' },
          uploadedAt: '2026-03-02T10:00:00.000Z',
        },
      },
    ]);
    await world.givenAccount(patientRecorded);
    const uploaded = await world.last('IdDocumentUploaded');
    const pm = identityProcess(world.deps);

    await world.deliver(pm, uploaded);

    expect(world.calls).toHaveLength(1);
    expect(world.calls[0]).toMatchObject({
      port: 'identity',
      method: 'submitDocument',
      input: {
        idempotencyKey: world.contextFor(pm, uploaded).idempotencyKey('document'),
        documentType: 'driving_licence',
        contentType: 'image/jpeg',
      },
    });
    expect((await world.last('IdDocumentChecked', accountStream(CONSULTATION_ID))).data).toEqual({
      outcome: 'pass',
      reference: 'idu-doc-1',
      checkedAt: NOW,
    });
  });
});
