import { applyDrugEvent, type Drug, type DrugEvent } from '../../domain/catalogue/drug.js';
import type { SqlClient } from '../../platform/sql.js';
import type { Projection } from '../runtime.js';

type Row = {
  drug: Drug;
  addedBy: string;
  source: string;
  classifiedBy: string | null;
  classifiedAt: string | null;
};

const save = (client: SqlClient, row: Row, at: string, by: string) =>
  client.query(
    `INSERT INTO drug_catalogue (ndc11, proprietary_name, generic_name, strength, labeler, storage_class, specialty,
                                 limited_distribution, rems, dea_schedule, data, added_by, source, classified_by,
                                 classified_at, updated_at, updated_by)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)
     ON CONFLICT (ndc11) DO UPDATE SET proprietary_name = EXCLUDED.proprietary_name,
       generic_name = EXCLUDED.generic_name, strength = EXCLUDED.strength, labeler = EXCLUDED.labeler,
       storage_class = EXCLUDED.storage_class, specialty = EXCLUDED.specialty,
       limited_distribution = EXCLUDED.limited_distribution, rems = EXCLUDED.rems,
       dea_schedule = EXCLUDED.dea_schedule, data = EXCLUDED.data, classified_by = EXCLUDED.classified_by,
       classified_at = EXCLUDED.classified_at, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
    [
      row.drug.ndc11,
      row.drug.proprietaryName,
      row.drug.genericName,
      row.drug.strength,
      row.drug.labeler,
      row.drug.storageClass,
      row.drug.specialty,
      row.drug.limitedDistribution,
      row.drug.rems,
      row.drug.deaSchedule,
      JSON.stringify(row.drug),
      row.addedBy,
      row.source,
      row.classifiedBy,
      row.classifiedAt,
      at,
      by,
    ],
  );

/** The catalogue as staff search it and routing reads it: one row per NDC-11, its latest state. */
export const drugCatalogueProjection: Projection = {
  name: 'drug-catalogue',
  filter: { kind: 'categories', categories: ['drug'] },
  tables: ['drug_catalogue'],
  async applyBatch(client, events) {
    const ndcs = [...new Set(events.map((e) => e.streamName.slice('drug-'.length)))];
    const { rows } = await client.query<{
      ndc11: string;
      data: Drug;
      added_by: string;
      source: string;
      classified_by: string | null;
      classified_at: Date | null;
    }>(
      'SELECT ndc11, data, added_by, source, classified_by, classified_at FROM drug_catalogue WHERE ndc11 = ANY ($1)',
      [ndcs],
    );
    const current = new Map<string, Row>(
      rows.map((r) => [
        r.ndc11,
        {
          drug: r.data,
          addedBy: r.added_by,
          source: r.source,
          classifiedBy: r.classified_by,
          classifiedAt: r.classified_at?.toISOString() ?? null,
        },
      ]),
    );
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as DrugEvent;
      const ndc11 = recorded.streamName.slice('drug-'.length);
      const before = current.get(ndc11);
      const drug = applyDrugEvent(before?.drug ?? null, event);
      if (!drug) continue;
      const { actor, occurredAt } = recorded.metadata;
      const row: Row =
        event.type === 'DrugAdded'
          ? {
              drug,
              addedBy: actor,
              source: event.data.source,
              classifiedBy: drug.storageClass ? actor : null,
              classifiedAt: drug.storageClass ? occurredAt : null,
            }
          : event.type === 'DrugClassified'
            ? { ...before!, drug, classifiedBy: actor, classifiedAt: occurredAt }
            : { ...before!, drug };
      current.set(ndc11, row);
      await save(client, row, occurredAt, actor);
    }
  },
};
