import type { OrderStatus } from './orderEvents.js';

/** The ends of an order's life: nothing moves it on from here. */
export const TERMINAL_STATUSES: readonly OrderStatus[] = ['completed', 'cancelled'];
