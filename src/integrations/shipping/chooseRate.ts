import type { StorageClass } from '../../domain/catalogue/drug.js';
import { DomainError } from '../../domain/decider.js';
import type { Pharmacy } from '../../domain/routing/pharmacy.js';
import { storesAt } from '../../domain/routing/rank.js';
import type { Parcel } from './port.js';

/** The parts of a vendor rate the choice depends on (the Shippo SDK's `Rate` fits). */
export type RateQuote = {
  amount: string;
  estimatedDays?: number | undefined;
  servicelevel?: { token?: string | null | undefined } | undefined;
};

/** Delivery within this many days is fast enough for room-temperature specialty drugs. */
export const STANDARD_MAX_DAYS = 3;

/**
 * Services a carrier commits to deliver the next business day: the only ones a refrigerated
 * shipper's gel packs outlast. USPS Priority Mail Express is not among them (1–2 days).
 */
export const OVERNIGHT_SERVICES: ReadonlySet<string> = new Set([
  'fedex_first_overnight',
  'fedex_priority_overnight',
  'fedex_standard_overnight',
  'ups_next_day_air_early_am',
  'ups_next_day_air',
  'ups_next_day_air_saver',
]);

/** Overnight by the morning: dry ice in a frozen shipper lasts about a day, so afternoon is too late. */
export const MORNING_OVERNIGHT_SERVICES: ReadonlySet<string> = new Set([
  'fedex_first_overnight',
  'fedex_priority_overnight',
  'ups_next_day_air_early_am',
  'ups_next_day_air',
]);

/** Whether a service keeps a drug of this storage class in range all the way to the door. */
export const keepsInRange = (serviceToken: string, storageClass: StorageClass): boolean =>
  storageClass === 'ambient' ||
  (storageClass === 'refrigerated' && OVERNIGHT_SERVICES.has(serviceToken)) ||
  (storageClass === 'frozen' && MORNING_OVERNIGHT_SERVICES.has(serviceToken));

/** Vendor money strings ("12.5", "12.34") to integer minor units, without floating point. */
export const decimalToMinor = (amount: string): number => {
  const match = /^(\d+)(?:\.(\d{0,2}))?$/.exec(amount.trim());
  if (!match) throw new Error(`Not a money amount with at most two decimals: "${amount}"`);
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
};

const cheapest = <R extends RateQuote>(rates: readonly R[]): R | undefined =>
  rates.reduce<R | undefined>(
    (best, rate) =>
      best === undefined || decimalToMinor(rate.amount) < decimalToMinor(best.amount) ? rate : best,
    undefined,
  );

/**
 * Refrigerated: the cheapest committed-overnight rate; frozen: the cheapest overnight-by-morning
 * rate; none when no such service is offered, since a slower box spoils the drug. Ambient: the
 * cheapest rate arriving within three days, falling back to the cheapest overall. A rate without
 * an estimate never counts as fast, and a cold one must also be estimated to arrive in a day.
 */
export const chooseRate = <R extends RateQuote>(
  rates: readonly R[],
  options: { storageClass: StorageClass },
): R | undefined => {
  const within = (days: number) =>
    rates.filter((r) => r.estimatedDays !== undefined && r.estimatedDays <= days);
  if (options.storageClass !== 'ambient')
    return cheapest(within(1).filter((r) => keepsInRange(r.servicelevel?.token ?? '', options.storageClass)));
  return cheapest(within(STANDARD_MAX_DAYS)) ?? cheapest(rates);
};

/**
 * The box for each storage class: a padded mailer; an insulated shipper with gel packs; an
 * insulated shipper with dry ice, heavier still.
 */
export const parcelFor = (storageClass: StorageClass): Parcel => {
  switch (storageClass) {
    case 'ambient':
      return { lengthIn: 9, widthIn: 6, heightIn: 3, weightOz: 12 };
    case 'refrigerated':
      return { lengthIn: 12, widthIn: 10, heightIn: 9, weightOz: 72 };
    case 'frozen':
      return { lengthIn: 14, widthIn: 12, heightIn: 11, weightOz: 136 };
  }
};

/**
 * How an order's parcel must travel, from its catalogue entry. Refuses (so the label waits for a
 * person) when the catalogue cannot say, or when the pharmacy chosen cannot keep the drug cold:
 * nothing falls back to ambient.
 */
export const coldChainShipment = (
  ndc11: string | null,
  drug: { storageClass: StorageClass | null } | null,
  pharmacy: Pick<Pharmacy, 'id' | 'capabilities'>,
): { storageClass: StorageClass; coldChain: boolean } => {
  const storageClass = drug?.storageClass;
  if (!storageClass)
    throw new DomainError(
      'invalid',
      'STORAGE_CLASS_UNKNOWN',
      `NDC ${ndc11 ?? '(none)'} has no storage class in the catalogue: no label is bought until a pharmacist classifies it`,
    );
  if (!storesAt(pharmacy, storageClass))
    throw new DomainError(
      'invalid',
      'PHARMACY_CANNOT_STORE',
      `pharmacy ${pharmacy.id} cannot keep a ${storageClass} drug: no label is bought`,
    );
  return { storageClass, coldChain: storageClass !== 'ambient' };
};
