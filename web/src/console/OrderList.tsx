import type { OrderListItem } from '../api/types.js';
import { Link } from '../app/router.js';
import { StatusBadge } from '../ui/components.js';
import { formatDateTime, formatDuration, formatMoney } from '../ui/format.js';
import { isOverSla } from './sla.js';

export const OrderList = ({
  items,
  now,
  slaHours,
}: {
  items: OrderListItem[];
  now: number;
  slaHours: number;
}) => {
  if (items.length === 0) return <p className="muted">No orders match.</p>;
  return (
    <ul className="orders" aria-label="Orders">
      {items.map((order) => {
        const over = isOverSla(order, now, slaHours);
        return (
          <li
            key={order.orderId}
            className={over ? 'order over-sla' : 'order'}
            data-order-id={order.orderId}
            data-status={order.status}
          >
            <div className="order-head">
              <Link to={`/orders/${order.orderId}`} className="order-link">
                {order.patientName || 'Unnamed patient'}
              </Link>
              <StatusBadge status={order.status} />
            </div>
            <p className="order-drug">{order.drug ?? 'No medication on file'}</p>
            <p className="order-meta">
              <span className="mono">{order.orderId}</span>
              <span>
                In status for{' '}
                <time dateTime={order.statusSince} title={formatDateTime(order.statusSince)}>
                  {formatDuration(Math.max(0, now - Date.parse(order.statusSince)))}
                </time>
              </span>
              {order.pharmacyName ? <span>{order.pharmacyName}</span> : null}
              {order.patientPaysMinor !== null ? (
                <span>Patient pays {formatMoney(order.patientPaysMinor)}</span>
              ) : null}
              {order.trackingNumber ? <span>Tracking {order.trackingNumber}</span> : null}
            </p>
            {over || order.pending ? (
              <p className="flags">
                {over ? <span className="flag flag-sla">Over SLA ({slaHours} h)</span> : null}
                {order.pending ? <span className="flag flag-pending">{order.pending}</span> : null}
              </p>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
};
