import type { FastifyPluginAsync } from 'fastify';
import type { DrugCatalogue } from '../../../commands/catalogue/drugCatalogue.js';
import type { PharmacyNetwork } from '../../../commands/catalogue/pharmacyNetwork.js';
import type { UkProducts } from '../../../commands/catalogue/ukProducts.js';
import type { SqlPool } from '../../../platform/sql.js';
import { drugRoutes } from './drugRoutes.js';
import { pharmacyRoutes } from './pharmacyRoutes.js';
import { ukProductRoutes } from './ukProductRoutes.js';

export type ReferenceDataOptions = {
  pool: SqlPool;
  catalogue: DrugCatalogue;
  network: PharmacyNetwork;
  products: UkProducts;
};

/** Reference data a pharmacy manages: the drug catalogue, the pharmacy network, the UK products. */
export const referenceDataRoutes: FastifyPluginAsync<ReferenceDataOptions> = async (app, options) => {
  await app.register(drugRoutes, options);
  await app.register(pharmacyRoutes, options);
  await app.register(ukProductRoutes, options);
};
