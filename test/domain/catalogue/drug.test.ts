import { describe, it } from 'vitest';
import {
  type Drug,
  type DrugEvent,
  type DrugListing,
  drugDecider,
} from '../../../src/domain/catalogue/drug.js';
import { deciderSpec } from '../../support/deciderSpec.js';

const spec = deciderSpec(drugDecider);
const NDC = '57894006003';
const listing: DrugListing = {
  proprietaryName: 'Stelara',
  genericName: 'ustekinumab',
  strength: '45 mg/.5mL',
  dosageForm: 'INJECTION, SOLUTION',
  route: 'SUBCUTANEOUS',
  labeler: 'Janssen Biotech, Inc.',
  packageDescription: '1 SYRINGE, GLASS in 1 CARTON',
  deaSchedule: null,
};
const unclassified: Drug = {
  ndc11: NDC,
  ...listing,
  storageClass: null,
  specialty: false,
  limitedDistribution: null,
  rems: false,
};
const imported: DrugEvent = { type: 'DrugAdded', data: { drug: unclassified, source: 'fda_directory' } };
const cold = {
  storageClass: 'refrigerated' as const,
  specialty: true,
  limitedDistribution: null,
  rems: false,
};

describe('the drug catalogue decider', () => {
  it('given nothing, when a directory row arrives, then the product is added with no storage class', () => {
    spec.given([]).when({ type: 'ImportListing', ndc11: NDC, listing }).then([imported]);
  });

  it('given the product, when the same row arrives again, then nothing happens', () => {
    spec.given([imported]).when({ type: 'ImportListing', ndc11: NDC, listing }).then([]);
  });

  it('given the product, when a newer row changes its labeler, then only that change is recorded', () => {
    spec
      .given([imported])
      .when({ type: 'ImportListing', ndc11: NDC, listing: { ...listing, labeler: 'Janssen Biotech' } })
      .then([
        {
          type: 'DrugListingUpdated',
          data: {
            ndc11: NDC,
            changes: { labeler: { from: 'Janssen Biotech, Inc.', to: 'Janssen Biotech' } },
            source: 'fda_directory',
          },
        },
      ]);
  });

  it('given a classified product, when the directory row arrives again, then the pharmacist’s classification stays', () => {
    const classified: DrugEvent = {
      type: 'DrugClassified',
      data: {
        ndc11: NDC,
        storageClass: 'refrigerated',
        changes: { storageClass: { from: null, to: 'refrigerated' }, specialty: { from: false, to: true } },
        reason: 'label',
        source: 'pharmacist',
      },
    };
    spec.given([imported, classified]).when({ type: 'ImportListing', ndc11: NDC, listing }).then([]);
  });

  it('given an unclassified product, when a pharmacist classifies it, then the decision is recorded with the reason', () => {
    spec
      .given([imported])
      .when({
        type: 'ClassifyDrug',
        ndc11: NDC,
        handling: cold,
        reason: ' carton: 2–8 °C ',
        source: 'pharmacist',
      })
      .then([
        {
          type: 'DrugClassified',
          data: {
            ndc11: NDC,
            storageClass: 'refrigerated',
            changes: {
              storageClass: { from: null, to: 'refrigerated' },
              specialty: { from: false, to: true },
            },
            reason: 'carton: 2–8 °C',
            source: 'pharmacist',
          },
        },
      ]);
  });

  it('given an NDC the catalogue has never seen, when a pharmacist classifies it with its name, then it is added and classified', () => {
    spec
      .given([])
      .when({
        type: 'ClassifyDrug',
        ndc11: NDC,
        handling: cold,
        reason: 'label',
        source: 'pharmacist',
        listing,
      })
      .then([
        { type: 'DrugAdded', data: { drug: { ...unclassified }, source: 'pharmacist' } },
        {
          type: 'DrugClassified',
          data: {
            ndc11: NDC,
            storageClass: 'refrigerated',
            changes: {
              storageClass: { from: null, to: 'refrigerated' },
              specialty: { from: false, to: true },
            },
            reason: 'label',
            source: 'pharmacist',
          },
        },
      ]);
  });

  it('refuses what the catalogue cannot hold: an unknown NDC without a name, no reason, a duplicate, a bad NDC', () => {
    spec
      .given([])
      .when({ type: 'ClassifyDrug', ndc11: NDC, handling: cold, reason: 'label', source: 'pharmacist' })
      .thenThrows('DRUG_NOT_FOUND');
    spec
      .given([imported])
      .when({ type: 'ClassifyDrug', ndc11: NDC, handling: cold, reason: ' ', source: 'pharmacist' })
      .thenThrows('REASON_REQUIRED');
    spec
      .given([imported])
      .when({ type: 'AddDrug', drug: unclassified, source: 'admin' })
      .thenThrows('DRUG_EXISTS');
    spec
      .given([])
      .when({ type: 'AddDrug', drug: { ...unclassified, ndc11: '5789406003' }, source: 'admin' })
      .thenThrows('NDC_INVALID');
    spec
      .given([])
      .when({
        type: 'AddDrug',
        drug: { ...unclassified, proprietaryName: null, genericName: null },
        source: 'admin',
      })
      .thenThrows('DRUG_NAME_REQUIRED');
  });
});
