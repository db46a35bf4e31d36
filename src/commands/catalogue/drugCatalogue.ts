import {
  type Drug,
  type DrugCommand,
  type DrugHandling,
  type DrugListing,
  type DrugSource,
  type DrugState,
  drugDecider,
  drugStream,
  type StorageClass,
} from '../../domain/catalogue/drug.js';
import type { DirectoryListing } from '../../domain/catalogue/fdaNdcDirectory.js';
import { fold } from '../../domain/decider.js';
import type { EventStore } from '../../eventstore/types.js';
import type { Clock } from '../../platform/clock.js';
import { deterministicId, newUuid } from '../../platform/ids.js';
import { createCommandHandler } from '../commandHandler.js';

export type CatalogueDeps = { store: EventStore; clock: Clock };
export type Meta = { actor: string; correlationId?: string; commandId?: string };

export type ImportReport = {
  added: number;
  changed: number;
  unchanged: number;
  skipped: number;
};

/** Every catalogue entry as its events say, each product's in its own order: the importer's starting point. */
const loadAllDrugs = async (store: EventStore): Promise<Map<string, DrugState>> => {
  const drugs = new Map<string, DrugState>();
  const page = 5_000;
  let fromPosition = 0;
  for (;;) {
    const events = await store.readAll({
      filter: { kind: 'categories', categories: ['drug'] },
      fromPosition,
      maxCount: page,
    });
    for (const event of events) {
      const ndc11 = event.streamName.slice('drug-'.length);
      drugs.set(ndc11, drugDecider.evolve(drugs.get(ndc11) ?? drugDecider.initialState(), event as never));
    }
    if (events.length < page) return drugs;
    fromPosition = events.at(-1)!.globalPosition + 1;
  }
};

/** The drug catalogue's commands: each change one event on the product's `drug-<ndc11>` stream. */
export const createDrugCatalogue = (deps: CatalogueDeps) => {
  const handle = createCommandHandler(deps.store, drugDecider, { clock: deps.clock });
  const run = (ndc11: string, command: DrugCommand, meta: Meta) =>
    handle({
      commandId: meta.commandId ?? newUuid(),
      streamName: drugStream(ndc11),
      command,
      actor: meta.actor,
      correlationId: meta.correlationId ?? `drug-${ndc11}`,
    });

  return {
    load: async (ndc11: string): Promise<Drug | null> =>
      fold(drugDecider, (await deps.store.readStream(drugStream(ndc11))) as never).drug,

    add: (drug: Drug, source: DrugSource, meta: Meta) =>
      run(drug.ndc11, { type: 'AddDrug', drug, source }, meta),

    updateListing: (ndc11: string, listing: Partial<DrugListing>, source: DrugSource, meta: Meta) =>
      run(ndc11, { type: 'UpdateListing', ndc11, listing, source }, meta),

    /** A pharmacist's (or admin's) decision on how the product is kept; adds an unknown NDC first. */
    classify: (
      ndc11: string,
      handling: DrugHandling & { storageClass: StorageClass },
      reason: string,
      source: DrugSource,
      meta: Meta,
      listing?: DrugListing,
    ) => run(ndc11, { type: 'ClassifyDrug', ndc11, handling, reason, source, listing }, meta),

    /**
     * Brings the catalogue in line with a directory file: new packages are added unclassified,
     * changed listings updated, the rest left alone. Nothing here touches what a pharmacist
     * decided (storage class, flags). Safe to run again: a second run finds nothing to do.
     */
    async importDirectory(
      listings: readonly DirectoryListing[],
      meta: Meta,
      options: { onProgress?: (done: number) => void; onlyNew?: boolean } = {},
    ): Promise<Omit<ImportReport, 'skipped'>> {
      const known = await loadAllDrugs(deps.store);
      const run_ = newUuid();
      const report = { added: 0, changed: 0, unchanged: 0 };
      for (const [index, { ndc11, listing }] of listings.entries()) {
        const command: DrugCommand = { type: 'ImportListing', ndc11, listing };
        // Decided on the snapshot first, so an unchanged entry costs no read and no write.
        const state = known.get(ndc11) ?? drugDecider.initialState();
        const planned = options.onlyNew && state.drug ? [] : drugDecider.decide(command, state);
        if (planned.length === 0) report.unchanged++;
        else {
          const result = await run(ndc11, command, {
            ...meta,
            commandId: deterministicId('drug-import', run_, ndc11),
          });
          const kind = result.events[0]?.type;
          if (kind === 'DrugAdded') report.added++;
          else if (kind === 'DrugListingUpdated') report.changed++;
          else report.unchanged++;
        }
        options.onProgress?.(index + 1);
      }
      return report;
    },
  };
};

export type DrugCatalogue = ReturnType<typeof createDrugCatalogue>;
