/** The carrier services the stand-in quotes, with a fixed price list so rate choice is testable. */
export type CarrierService = {
  /** Shippo's carrier token, as used in `/tracks/{carrier}/…`. */
  carrier: 'usps' | 'ups' | 'fedex';
  /** Shippo's display name for the carrier, the rate's `provider`. */
  provider: 'USPS' | 'UPS' | 'FedEx';
  name: string;
  token: string;
  estimatedDays: number;
  durationTerms: string;
  /** Price of the first billable pound, in cents. */
  baseMinor: number;
  /** Each further billable pound, in cents. */
  perLbMinor: number;
};

export const CARRIER_SERVICES: readonly CarrierService[] = [
  {
    carrier: 'usps',
    provider: 'USPS',
    name: 'Ground Advantage',
    token: 'usps_ground_advantage',
    estimatedDays: 5,
    durationTerms: 'Delivery in 2 to 5 business days.',
    baseMinor: 545,
    perLbMinor: 85,
  },
  {
    carrier: 'usps',
    provider: 'USPS',
    name: 'Priority Mail',
    token: 'usps_priority',
    estimatedDays: 2,
    durationTerms:
      'Delivery within 1, 2, or 3 days based on where your package started and where it is being sent.',
    baseMinor: 925,
    perLbMinor: 110,
  },
  {
    carrier: 'usps',
    provider: 'USPS',
    name: 'Priority Mail Express',
    token: 'usps_priority_express',
    estimatedDays: 1,
    durationTerms: 'Overnight delivery to most U.S. locations.',
    baseMinor: 3150,
    perLbMinor: 360,
  },
  {
    carrier: 'ups',
    provider: 'UPS',
    name: 'Ground',
    token: 'ups_ground',
    estimatedDays: 3,
    durationTerms: 'Delivery times vary. Delivered on business days.',
    baseMinor: 1150,
    perLbMinor: 95,
  },
  {
    carrier: 'ups',
    provider: 'UPS',
    name: 'Next Day Air®',
    token: 'ups_next_day_air',
    estimatedDays: 1,
    durationTerms: 'Next business day delivery by 10:30 a.m.',
    baseMinor: 4250,
    perLbMinor: 310,
  },
  {
    carrier: 'fedex',
    provider: 'FedEx',
    name: 'Standard Overnight®',
    token: 'fedex_standard_overnight',
    estimatedDays: 1,
    durationTerms: 'Next-business-day delivery by 3 p.m. to most areas.',
    baseMinor: 3875,
    perLbMinor: 240,
  },
];

export type ParcelSize = { lengthIn: number; widthIn: number; heightIn: number; weightOz: number };

// Carriers bill the larger of actual and dimensional weight; 139 in³/lb is the common retail divisor.
const DIM_DIVISOR_IN3 = 139;

export const billablePounds = (parcels: readonly ParcelSize[]): number =>
  parcels.reduce((total, p) => {
    const actual = Math.ceil(p.weightOz / 16);
    const dimensional = Math.ceil((p.lengthIn * p.widthIn * p.heightIn) / DIM_DIVISOR_IN3);
    return total + Math.max(1, actual, dimensional);
  }, 0);

export const priceMinor = (service: CarrierService, pounds: number): number =>
  service.baseMinor + service.perLbMinor * Math.max(0, pounds - 1);

/** Shippo writes money as decimal strings: 1234 → "12.34". */
export const minorToDecimal = (minor: number): string =>
  `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;

const INCHES_PER: Record<string, number> = { in: 1, cm: 1 / 2.54, mm: 1 / 25.4, m: 39.3701, ft: 12, yd: 36 };
const OUNCES_PER: Record<string, number> = { oz: 1, lb: 16, g: 1 / 28.3495, kg: 35.274 };

export const toInches = (value: number, unit: string): number => value * (INCHES_PER[unit] ?? Number.NaN);
export const toOunces = (value: number, unit: string): number => value * (OUNCES_PER[unit] ?? Number.NaN);

/** Tracking page a carrier would print on the label; never fetched by the stand-in. */
export const trackingUrlFor = (carrier: CarrierService['carrier'], trackingNumber: string): string => {
  const encoded = encodeURIComponent(trackingNumber);
  if (carrier === 'usps') return `https://tools.usps.com/go/TrackConfirmAction?tLabels=${encoded}`;
  if (carrier === 'ups') return `https://www.ups.com/track?tracknum=${encoded}`;
  return `https://www.fedex.com/fedextrack/?trknbr=${encoded}`;
};

/** Carrier-shaped numbers: USPS IMpb (22 digits), UPS 1Z…, FedEx 12 digits. */
export const trackingNumberFor = (
  carrier: CarrierService['carrier'],
  salt: string,
  sequence: number,
): string => {
  if (carrier === 'usps') return `92055${salt}${String(sequence).padStart(12, '0')}`;
  if (carrier === 'ups') return `1Z999AA1${salt}${String(sequence).padStart(5, '0')}`;
  return `7${salt.slice(0, 3)}${String(sequence).padStart(8, '0')}`;
};
