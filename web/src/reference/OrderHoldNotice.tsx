import type { OrderDetail } from '../api/types.js';
import { Link } from '../app/router.js';
import { formatDateTime } from '../ui/format.js';

/**
 * Why an order is not moving although nothing failed: its drug waits for a pharmacist's
 * classification, or no pharmacy in the network can take it yet. Each says what moves it on.
 */
export const OrderHoldNotice = ({ order }: { order: OrderDetail }) => {
  const review = order.status === 'awaiting_drug_review' ? (order.drugReview ?? null) : null;
  const block = order.status === 'awaiting_routing' ? (order.routingBlock ?? null) : null;
  if (!review && !block) return null;
  return (
    <section
      className="card flagged"
      aria-labelledby="hold-heading"
      data-hold={review ? 'drug-review' : 'routing'}
    >
      <h2 id="hold-heading">{review ? 'Waiting for a pharmacist' : 'No pharmacy can take this order yet'}</h2>
      <p>{review?.message ?? block?.message}</p>
      <p className="muted">Since {formatDateTime(review?.since ?? block?.since)}</p>
      <p>
        {review ? (
          <Link to="/reference/drugs">Classify the drug on the Drugs page</Link>
        ) : (
          <Link to="/reference/pharmacies">See the pharmacy network</Link>
        )}
        ; the order then goes on by itself. Cancelling ends it.
      </p>
    </section>
  );
};
