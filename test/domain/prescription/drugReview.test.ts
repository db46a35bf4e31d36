import { describe, expect, it } from 'vitest';
import { drugReviewNeeded } from '../../../src/domain/prescription/drugReview.js';
import { orderDecider } from '../../../src/domain/prescription/order.js';
import type { OrderEvent } from '../../../src/domain/prescription/orderEvents.js';
import type { NewRxMessage } from '../../../src/domain/prescription/types.js';
import { deciderSpec } from '../../support/deciderSpec.js';

const spec = deciderSpec(orderDecider);
const NDC = '00078063941';
const prescription = {
  header: { messageId: 'M1' },
  patient: { identifiers: {} },
  prescriber: {},
  medication: {},
} as NewRxMessage;
const card = { key: 'k', contentType: 'image/png', size: 10, sha256: 'x' };
const awaitingRouting: OrderEvent[] = [
  {
    type: 'PrescriptionReceived',
    data: {
      orderId: '01J',
      messageId: 'M1',
      patientKey: null,
      prescription,
      rawMessage: '<Message/>',
      receivedAt: 'T',
    },
  },
  { type: 'PrescriptionValidated', data: { normalisedNdc: NDC, validatedAt: 'T' } },
  {
    type: 'EnrollmentLinkIssued',
    data: {
      linkId: 'L',
      tokenHash: 'h',
      expiresAt: '2099-01-01T00:00:00Z',
      email: 'a@example.org',
      resend: false,
    },
  },
  {
    type: 'EnrollmentCompleted',
    data: {
      insurance: {
        memberId: 'M1234',
        bin: '610014',
        pcn: 'P',
        group: 'G',
        cardholderName: 'A',
        relationship: '1',
      },
      cardFront: card,
      cardBack: card,
      consent: {
        version: 'v1',
        textSha256: 'x',
        acceptedBy: 'A',
        acceptedAt: 'T',
        ipAddress: 'ip',
        userAgent: 'ua',
      },
    },
  },
];
const hold = drugReviewNeeded(NDC, null)!;
const held: OrderEvent = {
  type: 'DrugReviewRequired',
  data: { ndc11: NDC, reason: 'not_in_catalogue', message: hold.message },
};

describe('an order whose drug the catalogue cannot place', () => {
  it('needs a review when the NDC is unknown or unclassified, and none once it has a storage class', () => {
    expect(drugReviewNeeded(NDC, null)?.reason).toBe('not_in_catalogue');
    expect(drugReviewNeeded(NDC, { storageClass: null })?.reason).toBe('no_storage_class');
    expect(drugReviewNeeded(NDC, { storageClass: 'ambient' })).toBeNull();
  });

  it('given an order awaiting routing, when held, then it waits in awaiting_drug_review and cannot be offered pharmacies', () => {
    spec.given(awaitingRouting).when(hold).then([held]);
    spec
      .given([...awaitingRouting, held])
      .when({
        type: 'RecommendPharmacies',
        recommendations: [{ pharmacyId: 'P', name: 'P', score: 1, reasons: [] }],
      })
      .then([]);
  });

  it('given a held order, when its drug is classified, then it goes back to routing; a release for another NDC changes nothing', () => {
    spec
      .given([...awaitingRouting, held])
      .when({ type: 'ClearDrugReview', ndc11: NDC, storageClass: 'refrigerated' })
      .then([{ type: 'DrugReviewCleared', data: { ndc11: NDC, storageClass: 'refrigerated' } }]);
    spec
      .given([...awaitingRouting, held])
      .when({ type: 'ClearDrugReview', ndc11: '00074055402', storageClass: 'ambient' })
      .then([]);
  });

  it('given a held order, then ops can still cancel it', () => {
    spec
      .given([...awaitingRouting, held])
      .when({ type: 'CancelOrder', refundId: 'R', reason: 'wrong NDC' })
      .then([{ type: 'OrderCancelled', data: { reason: 'wrong NDC', fromStatus: 'awaiting_drug_review' } }]);
  });

  it('given no pharmacy can take it, then the block is recorded and the order stays awaiting routing', () => {
    const blocked: OrderEvent = {
      type: 'RoutingBlocked',
      data: { reason: 'empty_network', message: 'empty' },
    };
    spec
      .given(awaitingRouting)
      .when({ type: 'RecordRoutingBlocked', reason: 'empty_network', message: 'empty' })
      .then([blocked]);
    expect(
      [...awaitingRouting, blocked].reduce(orderDecider.evolve, orderDecider.initialState()).status,
    ).toBe('awaiting_routing');
  });
});
