import { coreProjections } from '../platform/platform.js';
import { consultationsProjection } from './consultations/consultationsProjection.js';
import { consultationStockProjection } from './consultations/stockProjection.js';
import { enrollmentLinksProjection, ordersProjection } from './orders/ordersProjection.js';
import { pharmaciesProjection } from './pharmacies.js';
import type { Projection } from './runtime.js';

/** Every projection the platform runs, by name; flows add theirs here. */
export const allProjections = (): readonly Projection[] => [
  ...coreProjections,
  ordersProjection,
  enrollmentLinksProjection,
  pharmaciesProjection,
  consultationsProjection,
  consultationStockProjection,
];

export const findProjection = (name: string): Projection | undefined =>
  allProjections().find((p) => p.name === name);
