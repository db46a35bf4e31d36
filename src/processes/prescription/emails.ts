/**
 * Patient e-mails. E-mail is not a secure channel, so they name no medication or diagnosis: only
 * what the patient needs to act, and a link into the portal where the rest is shown.
 */
const signOff =
  '\n\n— Your specialty pharmacy team\nThis message was sent automatically; replies are not read.';

export const enrollmentLinkEmail = (input: {
  firstName: string | undefined;
  url: string;
  expiresAt: string;
}) => ({
  subject: 'Complete your prescription enrollment',
  text:
    `Hello${input.firstName ? ` ${input.firstName}` : ''},\n\n` +
    'Your prescriber has sent a prescription to our pharmacy. To fill it we need your insurance card and your consent.\n\n' +
    `Open this secure link to enroll (it works once and expires ${new Date(input.expiresAt).toUTCString()}):\n${input.url}` +
    signOff,
});

export const paymentLinkEmail = (input: { amountMinor: number; url: string; statusUrl: string }) => ({
  subject: 'Your copay is ready to pay',
  text:
    `Your insurance has processed your prescription. Your amount due is $${(input.amountMinor / 100).toFixed(2)}.\n\n` +
    `Pay securely here:\n${input.url}\n\nFollow your order at any time:\n${input.statusUrl}` +
    signOff,
});

export const shippedEmail = (input: { carrier: string; trackingNumber: string; statusUrl: string }) => ({
  subject: 'Your order has shipped',
  text:
    `Your order is on its way with ${input.carrier.toUpperCase()}, tracking number ${input.trackingNumber}.\n\n` +
    `Follow it here:\n${input.statusUrl}` +
    signOff,
});

export const completedEmail = (input: { statusUrl: string }) => ({
  subject: 'Your order has been delivered',
  text: `Your order has been delivered. We hope you are well.\n\nOrder details:\n${input.statusUrl}${signOff}`,
});
