// Regenerates sandbox/data/pharmacies.csv from the network generator's default seed:
//   npx tsx sandbox/data/writeNetworkCsv.ts
import { writeFile } from 'node:fs/promises';
import { writePharmacyCsv } from '../../src/domain/routing/pharmacyCsv.js';
import { generateNetwork, SAMPLE_NETWORK_CSV } from './network.js';

await writeFile(SAMPLE_NETWORK_CSV, writePharmacyCsv(generateNetwork()));
console.log(`wrote ${SAMPLE_NETWORK_CSV}`);
