import type { OrderStatus } from '../../../src/domain/prescription/orderEvents.js';
import type { OrderView } from '../../../src/projections/orders/orderView.js';

export type { OrderStatus } from '../../../src/domain/prescription/orderEvents.js';
export type { OrderView } from '../../../src/projections/orders/orderView.js';

export type StaffUser = { id: string; email: string; displayName: string; roles: string[] };
export type SessionInfo = { user: StaffUser; csrfToken: string; expiresAt: string };

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

export type OrderDetail = OrderView & { version: number; pending: string | null; incident: Incident | null };

export type OrderListItem = {
  orderId: string;
  status: OrderStatus;
  statusSince: string;
  receivedAt: string;
  updatedAt: string;
  patientName: string | null;
  patientState: string | null;
  drug: string | null;
  pharmacyName: string | null;
  trackingNumber: string | null;
  patientPaysMinor: number | null;
  pending: string | null;
};

export type OrderPage = { items: OrderListItem[]; page: number; pageSize: number; total: number };
export type StatusCounts = Record<OrderStatus, number>;

export type OrderEventRecord = {
  id: string;
  type: string;
  revision: number;
  position: number;
  data: unknown;
  metadata: { actor: string; occurredAt: string; correlationId: string; causationId: string | null };
};
export type OrderHistory = { orderId: string; events: OrderEventRecord[] };

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

export type EnrollmentInfo = {
  orderId: string;
  patient: { firstName?: string; lastName?: string; dateOfBirth?: string };
  medication: { description?: string; quantity?: string; daysSupply?: string };
  prescriber: { name: string };
  expiresAt: string;
  cardsUploaded: { front: boolean; back: boolean };
  consent: { version: string; text: string };
};

export type PatientOrder = {
  orderId: string;
  status: OrderStatus;
  statusSince: string;
  medication: string | null;
  pharmacy: string | null;
  payment: { status: string; url: string | null; amountMinor: number | null };
  shipment: { carrier: string; trackingNumber: string; trackingUrl: string | null } | null;
  tracking: { status: string; statusDate: string; details: string | null }[];
  completedAt: string | null;
};

export type AuditVerification = {
  ok: boolean;
  rows: number;
  brokenAt?: { seq: number; reason: string } | number | null;
};
