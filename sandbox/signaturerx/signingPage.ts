import type { Prescription } from './prescriptions.js';

const escapeHtml = (value: string): string =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const statusLine = (rx: Prescription): string => {
  if (rx.status === 'signed') {
    return `<p role="status">Signed on ${escapeHtml(rx.signedAt ?? '')}. This prescription is final and cannot be changed.</p>`;
  }
  if (rx.status === 'cancelled') {
    return `<p role="status">Cancelled: ${escapeHtml(rx.cancellationReason ?? '')}</p>`;
  }
  return `<form method="post" action="/sign/${encodeURIComponent(rx.id)}">
      <p>By signing you confirm you have reviewed this consultation and that the prescription is
      clinically appropriate. A signed prescription is final.</p>
      <button type="submit">Sign prescription</button>
    </form>`;
};

/**
 * The prescriber's view of one prescription, as the portal shows it before signing: who it is
 * for, what is prescribed, and one button. Plain semantic HTML so screen readers and tests read it.
 */
export const signingPage = (rx: Prescription): string => {
  const rows = rx.medicines
    .map(
      (m) =>
        `<tr><td>${escapeHtml(m.name)}</td><td>${escapeHtml(m.strength)}</td><td>${m.quantity}</td><td>${escapeHtml(m.directions)}</td></tr>`,
    )
    .join('\n');
  const address = [
    rx.patient.address.line1,
    rx.patient.address.line2,
    rx.patient.address.city,
    rx.patient.address.postcode,
  ]
    .filter(Boolean)
    .map((line) => escapeHtml(line ?? ''))
    .join(', ');
  return `<!doctype html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Sign prescription ${escapeHtml(rx.id)} – SignatureRx (sandbox)</title>
</head>
<body>
  <main>
    <h1>Prescription ${escapeHtml(rx.id)}</h1>
    <dl>
      <dt>Patient</dt><dd>${escapeHtml(rx.patient.fullName)}</dd>
      <dt>Date of birth</dt><dd>${escapeHtml(rx.patient.dateOfBirth)}</dd>
      <dt>Address</dt><dd>${address}</dd>
      <dt>Prescriber</dt><dd>${escapeHtml(rx.prescriber.fullName)} (${escapeHtml(rx.prescriber.registrationNumber)})</dd>
      <dt>Supply</dt><dd>${rx.durationMonths} month${rx.durationMonths === 1 ? '' : 's'}</dd>
      <dt>Clinic reference</dt><dd>${escapeHtml(rx.clinicReference)}</dd>
    </dl>
    <table>
      <caption>Medicines</caption>
      <thead><tr><th scope="col">Medicine</th><th scope="col">Strength</th><th scope="col">Quantity</th><th scope="col">Directions</th></tr></thead>
      <tbody>
${rows}
      </tbody>
    </table>
    ${statusLine(rx)}
  </main>
</body>
</html>`;
};
