import { type FormEvent, useState } from 'react';
import { api } from '../../api/client.js';
import { Link } from '../../app/router.js';
import { useAction } from '../../orders/useAction.js';
import { Loading, PageHeading, ProblemMessage } from '../../ui/components.js';
import { formatDateTime } from '../../ui/format.js';
import { useResource } from '../../ui/useResource.js';
import type { StockItem, StockList } from '../types.js';
import { SuccessNote, useLiveConsultations, usePolling } from './shared.js';

const levelText = (item: StockItem) =>
  item.outOfStock ? 'Out of stock' : item.low ? 'Low stock' : 'In stock';

/** One product's shelf: a delivery booked in, or a count corrected. */
const StockRow = ({ item, onDone }: { item: StockItem; onDone(confirmation: string): void }) => {
  const receive = useAction(onDone);
  const adjust = useAction(onDone);
  const [quantity, setQuantity] = useState('');
  const [delta, setDelta] = useState('');
  const [reason, setReason] = useState('');
  const base = `stock-${item.productId}`;
  const rest = `/api/pharmacy/stock/${encodeURIComponent(item.productId)}`;
  const book = async (event: FormEvent) => {
    event.preventDefault();
    if (
      await receive.run(
        `${rest}/receipts`,
        { quantity: Number(quantity), note: 'delivery' },
        `${item.name}: ${quantity} booked in.`,
      )
    )
      setQuantity('');
  };
  const correct = async (event: FormEvent) => {
    event.preventDefault();
    if (
      await adjust.run(
        `${rest}/adjustments`,
        { delta: Number(delta), reason: reason.trim() },
        `${item.name}: count corrected by ${delta}.`,
      )
    ) {
      setDelta('');
      setReason('');
    }
  };
  const level = item.outOfStock ? 'out' : item.low ? 'low' : 'ok';
  return (
    <li
      className={`card stock stock-${level}`}
      data-product-id={item.productId}
      data-level={level}
      aria-labelledby={`${base}-name`}
    >
      <div className="order-head">
        <h2 id={`${base}-name`}>{item.name}</h2>
        <span className={`badge stock-badge-${level}`}>{levelText(item)}</span>
      </div>
      <p className="stock-count">
        <strong data-on-hand={item.onHand}>{item.onHand}</strong> on hand{' '}
        <span className="muted">
          (low at {item.threshold} or fewer; {item.receivedTotal} received, {item.reservedTotal} packed
          {item.updatedAt ? `; updated ${formatDateTime(item.updatedAt)}` : ''})
        </span>
      </p>
      <details>
        <summary>Book in or correct</summary>
        <form onSubmit={book} className="inline-form">
          <label htmlFor={`${base}-qty`}>Units received</label>
          <input
            id={`${base}-qty`}
            className="short"
            type="number"
            min={1}
            max={100000}
            required
            value={quantity}
            onChange={(event) => setQuantity(event.target.value)}
          />
          <button type="submit" disabled={receive.busy}>
            Book in
          </button>
        </form>
        <ProblemMessage problem={receive.problem} />
        <form onSubmit={correct} className="stack stock-adjust">
          <div className="inline-fields">
            <div className="field">
              <label htmlFor={`${base}-delta`}>Correction (+ or −)</label>
              <input
                id={`${base}-delta`}
                type="number"
                required
                min={-100000}
                max={100000}
                value={delta}
                onChange={(event) => setDelta(event.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor={`${base}-reason`}>Reason</label>
              <input
                id={`${base}-reason`}
                required
                minLength={3}
                maxLength={200}
                value={reason}
                onChange={(event) => setReason(event.target.value)}
              />
            </div>
          </div>
          <button type="submit" className="secondary" disabled={adjust.busy}>
            Correct count
          </button>
          <ProblemMessage problem={adjust.problem} />
        </form>
      </details>
    </li>
  );
};

/** Stock per product, the lowest first: low stock is marked in words as well as colour. */
export const StockPage = () => {
  const [notice, setNotice] = useState<string | null>(null);
  const stock = useResource((signal) => api.get<StockList>('/api/pharmacy/stock', { signal }), []);
  // Packing (a consultation change) takes stock off the shelf; stock booked in elsewhere shows on the poll.
  useLiveConsultations(stock.reload);
  usePolling(stock.reload, 10_000);
  const items = [...(stock.data?.items ?? [])].sort(
    (a, b) =>
      Number(b.outOfStock) - Number(a.outOfStock) ||
      Number(b.low) - Number(a.low) ||
      a.name.localeCompare(b.name),
  );
  const onDone = (confirmation: string) => {
    setNotice(confirmation);
    stock.reload();
  };
  return (
    <main id="main" className="page">
      <p className="breadcrumb">
        <Link to="/pharmacy">← Pharmacy queue</Link>
      </p>
      <PageHeading>Stock</PageHeading>
      <p>Dispatch is blocked while a product is out of stock.</p>
      <SuccessNote text={notice} />
      <ProblemMessage problem={stock.problem} />
      {!stock.data ? (
        stock.problem ? null : (
          <Loading what="stock levels" />
        )
      ) : (
        <ul className="stock-list" aria-label="Stock by product">
          {items.map((item) => (
            <StockRow key={item.productId} item={item} onDone={onDone} />
          ))}
        </ul>
      )}
    </main>
  );
};
