import { readFileSync } from 'node:fs';
import { SAMPLE_NETWORK_CSV } from '../../sandbox/data/network.js';
import { readPharmacyCsv } from '../../src/domain/routing/pharmacyCsv.js';

/** The sandbox's sample network as the seed imports it. */
export const sampleNetwork = () =>
  readPharmacyCsv(readFileSync(SAMPLE_NETWORK_CSV, 'utf8')).rows.map((row) => ({
    id: row.id,
    ...row.details,
  }));
