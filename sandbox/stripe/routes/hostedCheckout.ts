import type { FastifyInstance, FastifyReply } from 'fastify';
import { StripeApiError } from '../apiError.js';
import { getCheckoutSession, payCheckoutSession } from '../checkout.js';
import type { FormObject } from '../formBody.js';
import type { CheckoutSession } from '../objects.js';
import type { StandInContext } from '../state.js';
import { DEFAULT_TEST_CARD, testCardByNumber } from '../testCards.js';

const DECLINED_CARD = '4000000000000002';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const formatAmount = (amount: number, currency: string) =>
  new Intl.NumberFormat(currency === 'gbp' ? 'en-GB' : 'en-US', { style: 'currency', currency }).format(
    amount / 100,
  );

const page = (title: string, body: string) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}
label{display:block;margin-top:1rem}input{width:100%;padding:.5rem;font-size:1rem}
button{margin-top:1rem;padding:.6rem 1rem;font-size:1rem}[role=alert]{color:#b00020;font-weight:600}</style>
</head>
<body><main>${body}</main></body>
</html>`;

/** The payment form: labelled fields, one button that pays and one that forces a decline. */
const checkoutForm = (ctx: StandInContext, session: CheckoutSession, problem?: string) => {
  const items = ctx.state.checkoutDetails.get(session.id)?.lineItems ?? [];
  const amount =
    session.amount_total !== null && session.currency
      ? formatAmount(session.amount_total, session.currency)
      : null;
  const what = items
    .map((item) => `<li>${escapeHtml(item.name)}${item.quantity > 1 ? ` × ${item.quantity}` : ''}</li>`)
    .join('');
  return page(
    amount ? `Pay ${amount}` : 'Save your card',
    `<h1>${amount ? `Pay <span data-testid="amount">${escapeHtml(amount)}</span>` : 'Save your card for later payments'}</h1>
${what ? `<ul aria-label="Order">${what}</ul>` : ''}
${problem ? `<p role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="/checkout/${encodeURIComponent(session.id)}/pay">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="email" value="${escapeHtml(session.customer_details?.email ?? session.customer_email ?? '')}">
<label for="card_number">Card number</label>
<input id="card_number" name="card_number" inputmode="numeric" autocomplete="cc-number" value="4242 4242 4242 4242" aria-describedby="card_hint">
<p id="card_hint">Test mode: use a Stripe test card number.</p>
<button type="submit" name="outcome" value="pay">${amount ? `Pay ${escapeHtml(amount)}` : 'Save card'}</button>
<button type="submit" name="outcome" value="decline">Simulate card declined</button>
</form>
${session.cancel_url ? `<p><a href="${escapeHtml(session.cancel_url)}">Cancel and return</a></p>` : ''}`,
  );
};

const closedPage = (reply: FastifyReply, session: CheckoutSession) =>
  session.status === 'expired'
    ? reply
        .code(410)
        .type('text/html')
        .send(page('Checkout expired', '<h1>This checkout session has expired</h1>'))
    : reply.code(200).type('text/html').send(page('Payment complete', '<h1>This payment is complete</h1>'));

/** The page Stripe hosts at the session's `url`; no API key: the patient's browser opens it. */
export const registerHostedCheckout = (app: FastifyInstance, ctx: StandInContext) => {
  app.get<{ Params: { id: string } }>('/checkout/:id', async (request, reply) => {
    const session = ctx.state.checkoutSessions.has(request.params.id)
      ? getCheckoutSession(ctx, request.params.id)
      : null;
    if (!session)
      return reply.code(404).type('text/html').send(page('Not found', '<h1>No such checkout session</h1>'));
    if (session.status !== 'open') return closedPage(reply, session);
    return reply.type('text/html').send(checkoutForm(ctx, session));
  });

  app.post<{ Params: { id: string } }>('/checkout/:id/pay', async (request, reply) => {
    const { id } = request.params;
    if (!ctx.state.checkoutSessions.has(id)) {
      return reply.code(404).type('text/html').send(page('Not found', '<h1>No such checkout session</h1>'));
    }
    const form = (request.body ?? {}) as FormObject;
    const typed =
      typeof form.card_number === 'string' && form.card_number.trim() ? form.card_number : undefined;
    const card =
      form.outcome === 'decline'
        ? testCardByNumber(DECLINED_CARD)
        : typed
          ? testCardByNumber(typed)
          : DEFAULT_TEST_CARD;
    const session = getCheckoutSession(ctx, id);
    if (session.status !== 'open') return closedPage(reply, session);
    if (!card) {
      const problem = 'Your card number is not a test card. Use 4242 4242 4242 4242.';
      return reply
        .code(400)
        .type('text/html')
        .send(checkoutForm(ctx, session, problem));
    }
    try {
      const email = typeof form.email === 'string' && form.email.trim() ? form.email.trim() : null;
      const outcome = payCheckoutSession(ctx, id, { card, email });
      if (outcome.kind === 'declined') {
        return reply
          .code(402)
          .type('text/html')
          .send(checkoutForm(ctx, session, outcome.message));
      }
      return reply.redirect(session.success_url.replaceAll('{CHECKOUT_SESSION_ID}', id), 303);
    } catch (error) {
      if (error instanceof StripeApiError) return closedPage(reply, getCheckoutSession(ctx, id));
      throw error;
    }
  });
};
