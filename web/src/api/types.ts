import type { OrderEventRecord } from '../../../src/http/contracts/orders.js';

export type { OrderStatus } from '../../../src/domain/prescription/orderEvents.js';
export type { OrderView } from '../../../src/projections/orders/orderView.js';

export type StaffUser = {
  id: string;
  email: string;
  displayName: string;
  roles: string[];
  /** Signed in with a password someone else set: it must be replaced before anything else. */
  mustChangePassword?: boolean;
};
export type SessionInfo = {
  user: StaffUser;
  sessionId?: string;
  csrfToken: string;
  expiresAt: string;
  idleExpiresAt?: string;
};

/** A staff account as the admin pages show it. */
export type StaffAccount = StaffUser & {
  disabled: boolean;
  mustChangePassword: boolean;
  createdAt: string;
  updatedAt: string | null;
};

export type StaffSessionSummary = {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  idleExpiresAt: string;
  ip: string | null;
  userAgent: string | null;
};

/** Set while a vendor call waits for retries (`pending_api_unavailable`) or after they ran out. */
export type Incident = {
  state: 'pending_api_unavailable' | 'manual_handling';
  integration: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  processManager: string;
  triggerEventId: string;
};

export type {
  OrderDetail,
  OrderEventRecord,
  OrderHistory,
  OrderListItem,
  OrderPage,
  StatusCounts,
} from '../../../src/http/contracts/orders.js';

/** A consultation's events and its account's, in the order they happened; `stream` says which. */
export type ConsultationHistory = {
  consultationId: string;
  events: (OrderEventRecord & { stream: string })[];
};

export type ParkedEvent = {
  subscriptionId: string;
  eventId: string;
  streamName: string;
  eventType: string;
  error: string;
  attempts: number;
  status: 'parked' | 'resolved';
  parkedAt: string;
  resolvedAt: string | null;
};

export type {
  EnrollmentInfo,
  PatientMoney,
  PatientOrder,
} from '../../../src/http/contracts/patient.js';

/** A verified payment-provider event no order or consultation could take (answered 2xx, kept for ops). */
export type UnmatchedPayment = {
  stripeEventId: string;
  kind: string;
  flow: string | null;
  reference: string | null;
  paymentIntentId: string | null;
  amountMinor: number | null;
  currency: string | null;
  reason: string;
  receivedAt: string;
};

/** A vendor call waiting or flagged, as `/api/operations/incidents` lists them (one row per call). */
export type OpenIncident = {
  stream_name: string;
  trigger_event_id: string;
  process_manager: string;
  integration: string;
  attempts: number;
  last_error: string;
  next_attempt_at: string | null;
  state: 'pending_api_unavailable' | 'manual_handling';
  updated_at: string;
  /** When the call first failed (null for incidents recorded before this was kept). */
  opened_at: string | null;
};

export type AuditVerification = {
  ok: boolean;
  rows: number;
  brokenAt?: { seq: number; reason: string } | number | null;
};
