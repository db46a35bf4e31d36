/**
 * Patient texts. A text can be read by anyone who picks up the phone and stays at the carrier and
 * Twilio for weeks, so it carries less than the e-mail: no name, no medication, no tracking, only
 * the one thing the patient must act on (the pay link) or know (the parcel arrived).
 */
const optOut = ' Reply STOP to opt out.';

export const paymentLinkText = (pharmacy: string, input: { amountMinor: number; url: string }) =>
  `${pharmacy}: your copay of $${(input.amountMinor / 100).toFixed(2)} is ready. Pay securely: ${input.url}${optOut}`;

export const deliveredText = (pharmacy: string) =>
  `${pharmacy}: your order has been delivered. Details are in the e-mail we sent you.${optOut}`;
