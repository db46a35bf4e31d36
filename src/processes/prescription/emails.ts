/**
 * Patient e-mails. E-mail is not a secure channel, so they name no medication or diagnosis: only
 * what the patient needs to act, and a link into the portal where the rest is shown.
 */
const signOff = (pharmacy: string) =>
  `\n\n— The ${pharmacy} team\nThis message was sent automatically; replies are not read.`;

type Mail = { subject: string; text: string };

/** The US flow's patient e-mails, signed by the business that serves the patient. */
export const prescriptionEmails = (pharmacy: string) => ({
  enrollmentLink: (input: { firstName: string | undefined; url: string; expiresAt: string }): Mail => ({
    subject: 'Complete your prescription enrollment',
    text:
      `Hello${input.firstName ? ` ${input.firstName}` : ''},\n\n` +
      'Your prescriber has sent a prescription to our pharmacy. To fill it we need your insurance card and your consent.\n\n' +
      `Open this secure link to enroll (it works once and expires ${new Date(input.expiresAt).toUTCString()}):\n${input.url}` +
      signOff(pharmacy),
  }),

  paymentLink: (input: { amountMinor: number; url: string; statusUrl: string }): Mail => ({
    subject: 'Your copay is ready to pay',
    text:
      `Your insurance has processed your prescription. Your amount due is $${(input.amountMinor / 100).toFixed(2)}.\n\n` +
      `Pay securely here:\n${input.url}\n\nFollow your order at any time:\n${input.statusUrl}` +
      signOff(pharmacy),
  }),

  shipped: (input: { carrier: string; trackingNumber: string; statusUrl: string }): Mail => ({
    subject: 'Your order has shipped',
    text:
      `Your order is on its way with ${input.carrier.toUpperCase()}, tracking number ${input.trackingNumber}.\n\n` +
      `Follow it here:\n${input.statusUrl}` +
      signOff(pharmacy),
  }),

  completed: (input: { statusUrl: string }): Mail => ({
    subject: 'Your order has been delivered',
    text: `Your order has been delivered. We hope you are well.\n\nOrder details:\n${input.statusUrl}${signOff(pharmacy)}`,
  }),

  cancelled: (input: { refundMinor: number; statusUrl: string }): Mail => ({
    subject: 'Your order has been cancelled',
    text:
      'Your pharmacy has cancelled your order, and the link to pay for it no longer works.\n\n' +
      (input.refundMinor > 0
        ? `The $${(input.refundMinor / 100).toFixed(2)} you paid is being refunded to your card; we will e-mail you when the refund is done.\n\n`
        : 'Nothing has been charged to your card.\n\n') +
      `Order details:\n${input.statusUrl}` +
      signOff(pharmacy),
  }),

  refunded: (input: { amountMinor: number; statusUrl: string }): Mail => ({
    subject: 'Your refund has been issued',
    text:
      `We have refunded $${(input.amountMinor / 100).toFixed(2)} to the card you paid with. ` +
      'It can take 5 to 10 business days to appear on your statement.\n\n' +
      `Order details:\n${input.statusUrl}` +
      signOff(pharmacy),
  }),
});
