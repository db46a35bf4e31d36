import type { OrderStatus } from '../domain/prescription/orderEvents.js';
import type { SqlQueryable } from '../platform/sql.js';
import { openReviewCases, type PharmacyView, pharmacyQueue } from './consultations/consultationQueries.js';
import { type IntegrationIncidentRow, openIncidents } from './integrationIncidentQueries.js';
import { orderStatusCounts } from './orders/orderQueries.js';
import { type OrderListRow, type OrderSort, searchOrders } from './orders/orderSearch.js';

export type OrderSearch = {
  status?: OrderStatus;
  q?: string;
  sort: OrderSort;
  page: number;
  pageSize: number;
};
export type PharmacyQueuePage = { view: PharmacyView; page: number; pageSize: number; stalledBefore: Date };
export type ReviewQueue = 'prescriber' | 'pharmacist';

export type PharmacyQueueResult = Awaited<ReturnType<typeof pharmacyQueue>>;
export type ReviewCase = Awaited<ReturnType<typeof openReviewCases>>[number];

/**
 * The read-model port of the dashboards: the order list and its counts, the pharmacy's queue views,
 * the review queues and the open vendor incidents. PostgreSQL answers by default
 * (`postgresDashboardReads`); with `READ_MODELS=mongodb` the same questions are answered from
 * MongoDB documents (`src/readmodels/mongodb/`). `test/readmodels/dashboardReadsContract.test.ts`
 * holds both to the same answers.
 */
export type DashboardReads = {
  searchOrders(search: OrderSearch): Promise<{ rows: OrderListRow[]; total: number }>;
  orderStatusCounts(): Promise<Record<OrderStatus, number>>;
  pharmacyQueue(page: PharmacyQueuePage): Promise<PharmacyQueueResult>;
  openReviewCases(queue: ReviewQueue): Promise<ReviewCase[]>;
  openIncidents(): Promise<IntegrationIncidentRow[]>;
};

export const postgresDashboardReads = (db: SqlQueryable): DashboardReads => ({
  searchOrders: (search) => searchOrders(db, search),
  orderStatusCounts: () => orderStatusCounts(db),
  pharmacyQueue: (page) => pharmacyQueue(db, page),
  openReviewCases: (queue) => openReviewCases(db, queue),
  openIncidents: () => openIncidents(db),
});
