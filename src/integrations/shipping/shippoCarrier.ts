import { createHash } from 'node:crypto';
import { Shippo } from 'shippo';
import type {
  AddressCreateRequest,
  LabelFileTypeEnum,
  Track,
  Transaction,
} from 'shippo/models/components/index.js';
import {
  ConnectionError,
  RequestAbortedError,
  RequestTimeoutError,
  ResponseValidationError,
  ShippoError,
} from 'shippo/models/errors/index.js';
import { type Clock, systemClock } from '../../platform/clock.js';
import { VendorRejectedError, VendorUnavailableError } from '../errors.js';
import { chooseRate, decimalToMinor } from './chooseRate.js';
import type { Address, LabelQuote, PurchasedLabel, ShippingCarrier, TrackingUpdate } from './port.js';
import { parseShippoWebhook, trackingStatusFromShippo } from './shippoTracking.js';

export type ShippoCarrierConfig = {
  /** `shippo_live_…` or `shippo_test_…`; sent as `Authorization: ShippoToken <key>`. */
  apiKey: string;
  /** Shippo's API by default; the stand-in's `url` in development and tests. */
  serverUrl?: string;
  /** The secret appended as `?token=` to the webhook URL registered with Shippo. */
  webhookToken: string;
  /** Bounds each call; the platform's retry schedule does the rest. */
  timeoutMs?: number;
  labelFileType?: LabelFileTypeEnum;
  clock?: Clock;
};

const VENDOR = 'shippo';
const METADATA_MAX = 100;

/** Shippo's metadata holds 100 characters: longer keys are hashed, not cut, so they stay unique. */
export const metadataFor = (idempotencyKey: string): string =>
  idempotencyKey.length <= METADATA_MAX
    ? idempotencyKey
    : createHash('sha256').update(idempotencyKey).digest('hex');

/** Shippo's carrier token from a rate's provider name: `FedEx` → `fedex`, `DHL Express` → `dhl_express`. */
export const carrierToken = (provider: string): string => provider.trim().toLowerCase().replace(/\s+/g, '_');

const errorDetail = (body: string): string => {
  try {
    const parsed = JSON.parse(body) as { detail?: unknown };
    return typeof parsed.detail === 'string' ? parsed.detail : body;
  } catch {
    return body;
  }
};

/**
 * Network trouble, timeouts, 5xx, 408 and 429 may pass later: unavailable. Other 4xx are Shippo
 * refusing the request (bad address, unknown rate, bad key): rejected. A 2xx body the SDK cannot
 * validate means Shippo changed under us; that too is retried, and shows up in the incident log.
 */
export const classifyShippoError = (error: unknown): Error => {
  if (
    error instanceof ConnectionError ||
    error instanceof RequestTimeoutError ||
    error instanceof RequestAbortedError
  ) {
    return new VendorUnavailableError(VENDOR, `Shippo unreachable: ${error.message}`, error);
  }
  // The client's timeout can also fire while the answer is being read, past the SDK's own wrapping.
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new VendorUnavailableError(VENDOR, `Shippo did not answer in time: ${error.message}`, error);
  }
  if (error instanceof ResponseValidationError) {
    return new VendorUnavailableError(
      VENDOR,
      `Shippo answered a body the SDK rejects: ${error.message}`,
      error,
    );
  }
  if (error instanceof ShippoError) {
    const status = error.statusCode;
    if (status >= 500 || status === 408 || status === 429) {
      return new VendorUnavailableError(VENDOR, `Shippo answered ${status}`, error);
    }
    const detail = errorDetail(error.body);
    return new VendorRejectedError(
      VENDOR,
      `http_${status}`,
      `Shippo refused the request (${status}): ${detail}`,
      {
        status,
        body: error.body,
      },
    );
  }
  return error instanceof Error ? error : new Error(String(error));
};

const call = async <T>(request: () => Promise<T>): Promise<T> => {
  try {
    return await request();
  } catch (error) {
    throw classifyShippoError(error);
  }
};

/** A finished purchase read back as a label; null while Shippo is still buying it. */
const labelOf = (transaction: Transaction, quote: LabelQuote): PurchasedLabel | null => {
  if (
    transaction.status !== 'SUCCESS' ||
    !transaction.objectId ||
    !transaction.trackingNumber ||
    !transaction.labelUrl
  ) {
    return null;
  }
  return {
    shipmentId: quote.shipmentId,
    transactionId: transaction.objectId,
    carrier: quote.carrier,
    serviceLevel: quote.serviceLevel,
    trackingNumber: transaction.trackingNumber,
    labelUrl: transaction.labelUrl,
    ...(transaction.trackingUrlProvider ? { trackingUrl: transaction.trackingUrlProvider } : {}),
    amountMinor: quote.amountMinor,
    currency: quote.currency,
  };
};

const toShippoAddress = (address: Address): AddressCreateRequest => ({
  name: address.name,
  company: address.company,
  street1: address.street1,
  street2: address.street2,
  city: address.city,
  state: address.state,
  zip: address.zip,
  country: address.country,
  phone: address.phone,
  email: address.email,
  isResidential: address.residential,
});

const fromTrack = (track: Track, clock: Clock): TrackingUpdate => {
  const status = track.trackingStatus;
  const details = status?.statusDetails;
  return {
    trackingNumber: track.trackingNumber,
    carrier: track.carrier,
    status: status ? trackingStatusFromShippo(status.status, status.substatus?.code) : 'unknown',
    statusDate: (status?.statusDate ?? status?.objectUpdated ?? clock.now()).toISOString(),
    ...(details ? { details } : {}),
    ...(track.trackingHistory?.length ? { sequence: track.trackingHistory.length } : {}),
  };
};

export const createShippoCarrier = (config: ShippoCarrierConfig): ShippingCarrier => {
  const clock = config.clock ?? systemClock;
  const shippo = new Shippo({
    apiKeyHeader: `ShippoToken ${config.apiKey}`,
    ...(config.serverUrl ? { serverURL: config.serverUrl } : {}),
    timeoutMs: config.timeoutMs ?? 15_000,
    // Retries belong to the platform's schedule, where every attempt is recorded.
    retryConfig: { strategy: 'none' },
  });

  return {
    async quoteLabel(input) {
      const { parcel } = input;
      const shipment = await call(() =>
        shippo.shipments.create({
          addressFrom: toShippoAddress(input.from),
          addressTo: toShippoAddress(input.to),
          parcels: [
            {
              length: String(parcel.lengthIn),
              width: String(parcel.widthIn),
              height: String(parcel.heightIn),
              distanceUnit: 'in',
              weight: String(parcel.weightOz),
              massUnit: 'oz',
            },
          ],
          extra: { reference1: input.orderRef },
          metadata: metadataFor(input.idempotencyKey),
          async: false,
        }),
      );
      const rate = chooseRate(shipment.rates, { storageClass: input.storageClass });
      if (!rate) {
        const offered = shipment.rates.map((r) => `${r.servicelevel.token} (${r.estimatedDays ?? '?'} d)`);
        const cold = input.storageClass !== 'ambient';
        throw new VendorRejectedError(
          VENDOR,
          cold ? 'no_overnight_rate' : 'no_rate',
          `No ${cold ? `overnight rate for a ${input.storageClass} parcel` : 'rate'} offered for shipment ${shipment.objectId}`,
          { shipmentId: shipment.objectId, offered },
        );
      }
      return {
        shipmentId: shipment.objectId,
        rateId: rate.objectId,
        carrier: carrierToken(rate.provider),
        serviceLevel: rate.servicelevel.token ?? rate.servicelevel.name ?? 'unknown',
        amountMinor: decimalToMinor(rate.amount),
        currency: rate.currency,
      };
    },

    async purchaseLabel({ quote, idempotencyKey }) {
      let transaction: Transaction;
      try {
        transaction = await shippo.transactions.create({
          rate: quote.rateId,
          labelFileType: config.labelFileType ?? 'PDF_4x6',
          metadata: metadataFor(idempotencyKey),
          async: false,
        });
      } catch (error) {
        const failure = classifyShippoError(error);
        // Shippo refuses a rate it no longer sells (older than 7 days, or unknown): nothing was bought.
        if (failure instanceof VendorRejectedError && /"rate"/.test(String((error as ShippoError).body))) {
          throw new VendorRejectedError(VENDOR, 'rate_unavailable', failure.message, failure.details);
        }
        throw failure;
      }
      if (transaction.status === 'ERROR') {
        throw new VendorRejectedError(VENDOR, 'label_purchase_failed', 'Shippo could not buy the label', {
          transactionId: transaction.objectId,
          messages: transaction.messages,
        });
      }
      const label = labelOf(transaction, quote);
      if (!label) {
        // Still queued despite async=false: the next attempt finds it by its rate once it completes.
        throw new VendorUnavailableError(
          VENDOR,
          `Shippo left transaction ${transaction.objectId ?? '?'} in status ${transaction.status ?? '?'}`,
        );
      }
      return label;
    },

    async findPurchasedLabel(quote) {
      const page = await call(() => shippo.transactions.list({ rate: quote.rateId }));
      const bought = (page.results ?? []).find(
        (t) => t.status === 'SUCCESS' || t.status === 'QUEUED' || t.status === 'WAITING',
      );
      if (!bought) return null;
      const label = labelOf(bought, quote);
      if (!label) {
        throw new VendorUnavailableError(
          VENDOR,
          `Shippo transaction ${bought.objectId ?? '?'} for rate ${quote.rateId} is still ${bought.status}`,
        );
      }
      return label;
    },

    async getTracking(carrier, trackingNumber) {
      const track = await call(() => shippo.trackingStatus.get(trackingNumber, carrier));
      return fromTrack(track, clock);
    },

    parseWebhook: (body, token) => parseShippoWebhook(body, token, config.webhookToken, clock.now()),
  };
};
