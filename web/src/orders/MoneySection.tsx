import type { OrderDetail } from '../api/types.js';
import { ActorName } from '../staff/directory.js';
import { Fact, Facts } from '../ui/components.js';
import { formatAmount, formatDateTime, formatMoney } from '../ui/format.js';
import { type LedgerEntry, ledgerEntries } from './ledger.js';

const RefundStatus = ({ entry }: { entry: Extract<LedgerEntry, { entry: 'refund' }> }) => {
  const r = entry.refund;
  if (r.status === 'settled')
    return (
      <span data-status="settled">
        <span className="badge status-paid">Settled</span>{' '}
        <time dateTime={r.settledAt ?? undefined}>{formatDateTime(r.settledAt)}</time>
      </span>
    );
  if (r.status === 'failed')
    return (
      <span data-status="failed">
        <span className="badge status-cancelled">Failed</span>{' '}
        <span className="error-text">{r.failureReason ?? 'Stripe gave no reason'}</span>
      </span>
    );
  return (
    <span data-status="requested">
      <span className="badge">In progress</span> <span className="muted">waiting for Stripe to confirm</span>
    </span>
  );
};

const Entry = ({ entry }: { entry: LedgerEntry }) =>
  entry.entry === 'payment' ? (
    <li data-kind={entry.payment.kind}>
      <div className="ledger-head">
        <strong>{entry.label}</strong>
        <span className="ledger-amount">
          {formatAmount(entry.payment.amountMinor, entry.payment.currency)}
        </span>
      </div>
      <p>
        <span data-status="received">
          <span className="badge status-paid">Received</span>{' '}
          <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
        </span>
      </p>
      <p className="muted">
        Payment <span className="mono">{entry.payment.paymentIntentId}</span>
      </p>
    </li>
  ) : (
    <li data-kind={entry.refund.kind}>
      <div className="ledger-head">
        <strong>{entry.label}</strong>
        <span className="ledger-amount">
          −{formatAmount(entry.refund.amountMinor, entry.refund.currency)}
        </span>
      </div>
      <p>
        <RefundStatus entry={entry} />
      </p>
      <p className="muted">
        “{entry.refund.reason}” — requested by <ActorName actor={entry.refund.requestedBy} />,{' '}
        <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
      </p>
    </li>
  );

/** Expected against received, where nobody can miss it: the order waits for ops to decide. */
const MismatchBanner = ({ mismatch }: { mismatch: NonNullable<OrderDetail['payment']['mismatch']> }) => (
  <section className="mismatch-banner" aria-labelledby="mismatch-title">
    <p id="mismatch-title" className="mismatch-title">
      Payment does not match the amount asked for
    </p>
    <Facts>
      <Fact term="Expected">
        <strong>{formatMoney(mismatch.expectedMinor)}</strong>
      </Fact>
      <Fact term="Received">
        <strong>{formatAmount(mismatch.receivedMinor, mismatch.currency)}</strong>
        {mismatch.currency.toLowerCase() !== 'usd' ? ` (in ${mismatch.currency.toUpperCase()})` : null}
      </Fact>
      <Fact term="Payment">
        <span className="mono">{mismatch.paymentIntentId}</span>
      </Fact>
    </Facts>
    <p>Nothing ships until ops accept the payment or refund it (see Actions).</p>
  </section>
);

/** Every payment and refund of the order, and the sum they make: charged − refunded = kept. */
export const MoneySection = ({ order }: { order: OrderDetail }) => {
  const money = order.money;
  return (
    <section aria-labelledby="money-heading" className="card">
      <h2 id="money-heading">Money</h2>
      {order.payment.mismatch ? <MismatchBanner mismatch={order.payment.mismatch} /> : null}
      {!money ? (
        <p className="muted">This order’s ledger is not in its view yet.</p>
      ) : (
        <>
          {money.payments.length === 0 ? (
            <p className="muted">No money has been taken.</p>
          ) : (
            <ol className="ledger" aria-label="Payments and refunds">
              {ledgerEntries(money).map((entry) => (
                <Entry
                  key={entry.entry === 'payment' ? entry.payment.paymentIntentId : entry.refund.refundId}
                  entry={entry}
                />
              ))}
            </ol>
          )}
          <p className="ledger-totals">
            Charged {formatMoney(money.chargedMinor)} − refunded {formatMoney(money.refundedMinor)} = kept{' '}
            {formatMoney(money.keptMinor)}
          </p>
          {money.refundPendingMinor > 0 ? (
            <p className="flag flag-pending">
              Refund in progress: {formatMoney(money.refundPendingMinor)} (kept{' '}
              {formatMoney(money.keptMinor - money.refundPendingMinor)} once it settles)
            </p>
          ) : null}
        </>
      )}
    </section>
  );
};
