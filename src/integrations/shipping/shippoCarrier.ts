import { createHash } from 'node:crypto';
import { Shippo } from 'shippo';
import type { AddressCreateRequest, LabelFileTypeEnum, Track } from 'shippo/models/components/index.js';
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
import type { Address, ShippingCarrier, TrackingUpdate } from './port.js';
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
    async buyLabel(input) {
      const metadata = metadataFor(input.idempotencyKey);
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
          metadata,
          async: false,
        }),
      );
      const rate = chooseRate(shipment.rates, { coldChain: input.coldChain });
      if (!rate) {
        const offered = shipment.rates.map((r) => `${r.servicelevel.token} (${r.estimatedDays ?? '?'} d)`);
        throw new VendorRejectedError(
          VENDOR,
          input.coldChain ? 'no_overnight_rate' : 'no_rate',
          `No ${input.coldChain ? 'overnight ' : ''}rate offered for shipment ${shipment.objectId}`,
          { shipmentId: shipment.objectId, offered },
        );
      }
      const transaction = await call(() =>
        shippo.transactions.create({
          rate: rate.objectId,
          labelFileType: config.labelFileType ?? 'PDF_4x6',
          metadata,
          async: false,
        }),
      );
      if (transaction.status === 'ERROR') {
        throw new VendorRejectedError(VENDOR, 'label_purchase_failed', 'Shippo could not buy the label', {
          transactionId: transaction.objectId,
          messages: transaction.messages,
        });
      }
      if (
        transaction.status !== 'SUCCESS' ||
        !transaction.objectId ||
        !transaction.trackingNumber ||
        !transaction.labelUrl
      ) {
        // Still queued despite async=false: a later attempt will buy again, so it is loud.
        throw new VendorUnavailableError(
          VENDOR,
          `Shippo left transaction ${transaction.objectId ?? '?'} in status ${transaction.status ?? '?'}`,
        );
      }
      return {
        shipmentId: shipment.objectId,
        transactionId: transaction.objectId,
        carrier: carrierToken(rate.provider),
        serviceLevel: rate.servicelevel.token ?? rate.servicelevel.name ?? 'unknown',
        trackingNumber: transaction.trackingNumber,
        labelUrl: transaction.labelUrl,
        ...(transaction.trackingUrlProvider ? { trackingUrl: transaction.trackingUrlProvider } : {}),
        amountMinor: decimalToMinor(rate.amount),
        currency: rate.currency,
      };
    },

    async getTracking(carrier, trackingNumber) {
      const track = await call(() => shippo.trackingStatus.get(trackingNumber, carrier));
      return fromTrack(track, clock);
    },

    parseWebhook: (body, token) => parseShippoWebhook(body, token, config.webhookToken, clock.now()),
  };
};
