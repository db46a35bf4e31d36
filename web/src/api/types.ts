import type { OrderEventRecord } from '../../../src/http/contracts/orders.js';

export type { OrderStatus } from '../../../src/domain/prescription/orderEvents.js';
export type {
  OrderDetail,
  OrderEventRecord,
  OrderHistory,
  OrderListItem,
  OrderPage,
  StatusCounts,
} from '../../../src/http/contracts/orders.js';

export type {
  SessionInfo,
  SignedIn,
  StaffAccount,
  StaffSessionSummary,
  StaffUser,
} from '../../../src/http/contracts/staff.js';
/** Set while a vendor call waits for retries (`pending_api_unavailable`) or after they ran out. */
export type { Incident, OrderView } from '../../../src/projections/orders/orderView.js';

/** A consultation's events and its account's, in the order they happened; `stream` says which. */
export type ConsultationHistory = {
  consultationId: string;
  events: (OrderEventRecord & { stream: string })[];
};

export type {
  AuditAnchor,
  AuditEntry,
  AuditFinding,
  AuditVerification,
  ComplianceReport,
} from '../../../src/http/contracts/audit.js';
export type {
  AttentionItem,
  AttentionList,
  ConsoleSettings,
  OpenIncident,
  ParkedEvent,
  UnmatchedPayment,
} from '../../../src/http/contracts/operations.js';
export type {
  EnrollmentInfo,
  PatientMoney,
  PatientOrder,
} from '../../../src/http/contracts/patient.js';
export type { StaffDirectoryEntry, StaffDirectoryList } from '../../../src/http/contracts/staff.js';
