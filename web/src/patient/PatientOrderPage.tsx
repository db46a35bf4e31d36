import { useEffect } from 'react';
import { api } from '../api/client.js';
import type { PatientOrder } from '../api/types.js';
import { TrackingList } from '../orders/sections.js';
import { Fact, Facts, Loading, PageHeading, ProblemMessage, StatusBadge } from '../ui/components.js';
import { formatDateTime, formatMoney, webLink } from '../ui/format.js';
import { useResource } from '../ui/useResource.js';
import { patientStatusText } from './linkProblems.js';
import { LinkProblemPage, PatientPage } from './PatientLayout.js';
import { patientMoneyLines } from './patientMoney.js';

const SETTLED = new Set(['completed', 'cancelled']);

const MONEY_TONE = { done: 'success-text', pending: 'warn-text', failed: 'error-text', plain: undefined };

/** The patient's own view of the order, opened from the link in their e-mails. */
export const PatientOrderPage = ({
  orderId,
  token,
  justPaid,
}: {
  orderId: string;
  token: string;
  justPaid: boolean;
}) => {
  const order = useResource(
    (signal) =>
      api.get<PatientOrder>(`/api/patient/orders/${encodeURIComponent(orderId)}`, {
        headers: { 'x-status-token': token },
        signal,
      }),
    [orderId, token],
  );

  // No staff session here, so no live socket: look again now and then while something is moving,
  // a refund on its way included (a cancelled order's refund settles after it was cancelled).
  const status = order.data?.status;
  const refundPending = (order.data?.money?.refundPendingMinor ?? 0) > 0;
  const { reload } = order;
  useEffect(() => {
    if (!status || (SETTLED.has(status) && !refundPending)) return;
    const timer = setInterval(reload, justPaid && status === 'awaiting_payment' ? 2_000 : 15_000);
    return () => clearInterval(timer);
  }, [status, justPaid, refundPending, reload]);

  if (order.problem?.status === 401 || order.problem?.status === 404)
    return (
      <LinkProblemPage
        flow="us"
        problem={{
          heading: 'This link is not valid',
          text: 'Links to your order work for a limited time. Open the one in your most recent e-mail from the pharmacy, or ask for a new one below.',
        }}
        offerNewLink
      />
    );

  const o = order.data;
  // Only an order waiting for its money offers a way to pay, whatever link the answer carries.
  const payUrl = o?.status === 'awaiting_payment' ? webLink(o.payment.url) : null;
  const moneyLines = o ? patientMoneyLines(o, formatDateTime) : [];
  const trackingUrl = webLink(o?.shipment?.trackingUrl);
  return (
    <PatientPage flow="us">
      <PageHeading>Your order</PageHeading>
      <ProblemMessage problem={order.problem} />
      {!o ? (
        <Loading what="your order" />
      ) : (
        <>
          <section aria-labelledby="status-heading" className="card">
            <h2 id="status-heading">Status</h2>
            <p>
              <StatusBadge status={o.status} />{' '}
              <span className="muted">since {formatDateTime(o.statusSince)}</span>
            </p>
            <p className="status-text">{patientStatusText(o.status)}</p>
            <Facts>
              <Fact term="Medication">{o.medication}</Fact>
              <Fact term="Pharmacy">{o.pharmacy}</Fact>
            </Facts>
          </section>

          <section aria-labelledby="payment-heading" className="card">
            <h2 id="payment-heading">Payment</h2>
            {payUrl ? (
              <>
                <p>
                  Your copay is <strong>{formatMoney(o.payment.amountMinor)}</strong>.
                  {justPaid ? ' If you have just paid, we are confirming it with your bank.' : ''}
                </p>
                <p>
                  <a className="button" href={payUrl} rel="noreferrer">
                    Pay now
                  </a>
                </p>
                <p className="hint">You will pay on our payment provider’s secure page and come back here.</p>
              </>
            ) : null}
            {moneyLines.map((line) => (
              <p key={line.key} className={MONEY_TONE[line.tone]}>
                {line.text}
              </p>
            ))}
            {!payUrl && moneyLines.length === 0 ? (
              <p className="muted">{o.status === 'cancelled' ? 'Nothing to pay.' : 'Nothing to pay yet.'}</p>
            ) : null}
          </section>

          <section aria-labelledby="delivery-heading" className="card">
            <h2 id="delivery-heading">Delivery</h2>
            {o.shipment ? (
              <p>
                {o.shipment.carrier.toUpperCase()} tracking number{' '}
                {trackingUrl ? (
                  <a href={trackingUrl} rel="noreferrer" target="_blank">
                    {o.shipment.trackingNumber}
                  </a>
                ) : (
                  <strong>{o.shipment.trackingNumber}</strong>
                )}
              </p>
            ) : (
              <p className="muted">Not shipped yet.</p>
            )}
            <TrackingList tracking={o.tracking} />
            {o.completedAt ? <p>Delivered and completed {formatDateTime(o.completedAt)}.</p> : null}
          </section>
        </>
      )}
    </PatientPage>
  );
};
