import { DomainError } from '../../domain/decider.js';
import {
  type PharmacyCommand,
  type PharmacyDetails,
  pharmacyDecider,
  pharmacyStream,
} from '../../domain/routing/pharmacy.js';
import type { CsvPharmacy } from '../../domain/routing/pharmacyCsv.js';
import type { EventStore } from '../../eventstore/types.js';
import type { Clock } from '../../platform/clock.js';
import { deterministicId, newUuid } from '../../platform/ids.js';
import { createCommandHandler } from '../commandHandler.js';
import type { Meta } from './drugCatalogue.js';

export type NetworkImportReport = {
  added: number;
  changed: number;
  unchanged: number;
  rejected: { line: number; id: string | null; message: string }[];
};

/** The pharmacy network's commands: each change one event on the pharmacy's `pharmacy-<id>` stream. */
export const createPharmacyNetwork = (deps: { store: EventStore; clock: Clock }) => {
  const handle = createCommandHandler(deps.store, pharmacyDecider, { clock: deps.clock });
  const run = (id: string, command: PharmacyCommand, meta: Meta) =>
    handle({
      commandId: meta.commandId ?? newUuid(),
      streamName: pharmacyStream(id),
      command,
      actor: meta.actor,
      correlationId: meta.correlationId ?? `pharmacy-${id}`,
    });

  return {
    register: (id: string, details: PharmacyDetails, meta: Meta) =>
      run(id, { type: 'RegisterPharmacy', id, details }, meta),
    change: (id: string, details: PharmacyDetails, meta: Meta) =>
      run(id, { type: 'ChangePharmacyDetails', details }, meta),
    suspend: (id: string, reason: string, meta: Meta) => run(id, { type: 'SuspendPharmacy', reason }, meta),
    reinstate: (id: string, reason: string, meta: Meta) =>
      run(id, { type: 'ReinstatePharmacy', reason }, meta),

    /** Registers new rows and updates changed ones; a row the rules refuse is reported, the rest go on. */
    async importRows(
      rows: readonly CsvPharmacy[],
      meta: Meta,
      options: { onProgress?: (done: number) => void; onlyNew?: boolean } = {},
    ): Promise<NetworkImportReport> {
      const runId = newUuid();
      const report: NetworkImportReport = { added: 0, changed: 0, unchanged: 0, rejected: [] };
      for (const [index, row] of rows.entries()) {
        if (options.onlyNew && (await deps.store.streamRevision(pharmacyStream(row.id))) !== null) {
          report.unchanged++;
          options.onProgress?.(index + 1);
          continue;
        }
        try {
          const result = await run(
            row.id,
            { type: 'ImportPharmacy', id: row.id, details: row.details },
            { ...meta, commandId: deterministicId('pharmacy-import', runId, row.id) },
          );
          const kind = result.events[0]?.type;
          if (kind === 'PharmacyRegistered') report.added++;
          else if (kind === 'PharmacyDetailsChanged') report.changed++;
          else report.unchanged++;
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          report.rejected.push({ line: row.line, id: row.id, message: error.message });
        }
        options.onProgress?.(index + 1);
      }
      return report;
    },
  };
};

export type PharmacyNetwork = ReturnType<typeof createPharmacyNetwork>;
