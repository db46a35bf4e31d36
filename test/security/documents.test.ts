import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consultationSteps, HAIR_LOSS } from '../support/consultationSteps.js';
import { type Harness, startHarness, tinyPng } from '../support/platformHarness.js';
import { prescriptionSteps } from '../support/prescriptionSteps.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
}, 120_000);
afterAll(() => harness?.close());

/** A file that is a PDF to a PDF reader and an HTML page to a browser that sniffs (finding 1). */
const pdfHtmlPolyglot = () =>
  Buffer.from(
    '%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
    'latin1',
  );
/** A PDF that runs JavaScript when opened. */
const pdfWithJavaScript = () =>
  Buffer.from(
    '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\nendobj\n%%EOF\n',
    'latin1',
  );
/** A real PNG with an HTML page appended after its end. */
const pngWithHtmlTail = () => Buffer.concat([tinyPng(), Buffer.from('<svg onload="alert(1)"></svg>')]);

describe('uploaded documents (finding 1)', () => {
  it('refuses PDF/HTML polyglots, scripted PDFs and images carrying markup as insurance cards', async () => {
    const steps = prescriptionSteps(harness);
    await steps.api.signIn('ops@pharmacy.example.org', harness.passwords.ops!);
    const orderId = await steps.validatedOrder(`doc-${Date.now()}`);
    const token = await steps.startEnrollment(orderId);
    for (const [body, type] of [
      [pdfHtmlPolyglot(), 'application/pdf'],
      [pdfWithJavaScript(), 'application/pdf'],
      [pngWithHtmlTail(), 'image/png'],
    ] as const) {
      const upload = await steps.api.put(`/api/patient/enrollment/cards/front`, body, {
        'x-enrollment-token': token,
        'content-type': type,
      });
      expect(upload.status, String(body.subarray(0, 40))).toBe(415);
    }
    const good = await steps.api.put('/api/patient/enrollment/cards/front', tinyPng(), {
      'x-enrollment-token': token,
      'content-type': 'image/png',
    });
    expect(good.status).toBe(200);
  }, 60_000);

  it('serves a patient’s photo ID as an attachment with a safe type, and re-checks its bytes first', async () => {
    const steps = await consultationSteps(harness);
    const session = await steps.paidConsultation(HAIR_LOSS, { kind: 'one_off' }, { lastName: 'Failwright' });
    await steps.expectStatus(session, 'id_document_requested');
    const upload = (body: Buffer, type: string) =>
      steps.patient.call('PUT', `/api/consultations/${session.id}/id-document?type=passport`, body, {
        ...session.headers,
        'content-type': type,
      });
    expect((await upload(pdfHtmlPolyglot(), 'application/pdf')).status).toBe(415);
    expect((await upload(tinyPng(), 'image/png')).body).toMatchObject({ status: 'id_manual_review' });
    await steps.settle();

    const path = `/api/pharmacy/consultations/${session.id}/id-document`;
    const image = await steps.ops.call('GET', path);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
    expect(image.headers.get('content-disposition')).toMatch(/^attachment; filename="[\w.-]+\.png"$/);
    expect(image.headers.get('content-security-policy')).toMatch(/\bsandbox\b/);

    // Whatever the bucket now holds under that key is judged by its bytes before it is served.
    const detail = (await steps.ops.get(`/api/pharmacy/consultations/${session.id}`)).body;
    const key = detail.identity.document.key as string;
    await harness.composition.vendors.documents.put({
      key,
      body: Buffer.from('<html><script>alert(1)</script></html>'),
      contentType: 'image/png',
    });
    const swapped = await steps.ops.call('GET', path);
    expect(swapped.status).toBe(409);
    expect(swapped.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  }, 120_000);
});
