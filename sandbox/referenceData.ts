// The sandbox's reference data, loaded as events the way an operator would load theirs: the FDA
// NDC Directory sample imported, the sample drugs classified as a pharmacist would, the sample
// pharmacy network imported from its CSV. `npm start`, the demo and the tests seed it; production
// (`cli start`) never does. A restart adds nothing and undoes no change made since.
import { join } from 'node:path';
import type { SeedContext } from '../src/app/compose.js';
import { readNdcDirectoryFiles, readPharmacyCsvFile } from '../src/cli/referenceFiles.js';
import { deterministicId } from '../src/platform/ids.js';
import { projectRoot } from '../src/platform/paths.js';
import { SAMPLE_DRUGS, type SampleDrug } from './data/drugs.js';
import { SAMPLE_NETWORK_CSV } from './data/network.js';

export const FDA_SAMPLE_DIR = join(projectRoot, 'test', 'fixtures', 'fda-ndc');

const SEED = { actor: 'system:sandbox-seed' };

export const seedSandboxReferenceData = async ({ catalogue, network }: SeedContext) => {
  const directory = await readNdcDirectoryFiles(FDA_SAMPLE_DIR);
  await catalogue.importDirectory(directory.listings, SEED, { onlyNew: true });
  for (const drug of Object.values(SAMPLE_DRUGS) as SampleDrug[]) {
    if (!drug.inDirectorySample) continue;
    // The same command id on every start: a later start is answered from the stream, so a
    // pharmacist's reclassification since is never undone.
    await catalogue.classify(
      drug.ndc11,
      {
        storageClass: drug.storageClass,
        specialty: drug.specialty,
        limitedDistribution: drug.limitedDistribution,
        rems: drug.rems,
      },
      'sandbox sample: storage as labelled',
      'pharmacist',
      { ...SEED, commandId: deterministicId('sandbox-seed-classification', drug.ndc11) },
    );
  }
  const csv = await readPharmacyCsvFile(SAMPLE_NETWORK_CSV);
  if (csv.rejected.length > 0)
    throw new Error(`sandbox network CSV has faulty rows: ${JSON.stringify(csv.rejected.slice(0, 3))}`);
  await network.importRows(csv.rows, SEED, { onlyNew: true });
};
