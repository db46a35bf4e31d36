/**
 * Click & Drop's create-order request (the subset the stand-in reads) and the checks Royal Mail
 * applies before it accepts an order. Failed items come back in `failedOrders`, as Click & Drop
 * does; the numeric error codes are the stand-in's own.
 */
import { z } from 'zod';

export const SERVICES = {
  TPN: {
    name: 'Royal Mail Tracked 24',
    prefix: 'TT',
    formats: ['largeLetter', 'smallParcel', 'mediumParcel'],
  },
  TPS: {
    name: 'Royal Mail Tracked 48',
    prefix: 'TT',
    formats: ['largeLetter', 'smallParcel', 'mediumParcel'],
  },
  SD1: {
    name: 'Special Delivery Guaranteed by 1pm',
    prefix: 'SD',
    formats: ['letter', 'largeLetter', 'smallParcel', 'mediumParcel'],
  },
} as const satisfies Record<string, { name: string; prefix: string; formats: readonly string[] }>;
export type ServiceCode = keyof typeof SERVICES;

/** Royal Mail's published maximum weights per format, in grams. */
export const FORMAT_MAX_GRAMS: Record<string, number> = {
  letter: 100,
  largeLetter: 750,
  smallParcel: 2_000,
  mediumParcel: 20_000,
};

const address = z.object({
  fullName: z.string().max(210).optional(),
  companyName: z.string().max(100).optional(),
  addressLine1: z.string().min(1).max(100),
  addressLine2: z.string().max(100).optional(),
  addressLine3: z.string().max(100).optional(),
  city: z.string().min(1).max(100),
  county: z.string().max(100).optional(),
  postcode: z.string().max(20).optional(),
  countryCode: z.string().min(2).max(3),
});

export const orderItem = z.object({
  orderReference: z.string().max(40).optional(),
  recipient: z.object({
    address,
    phoneNumber: z.string().max(25).optional(),
    emailAddress: z.string().max(254).optional(),
  }),
  sender: z
    .object({ tradingName: z.string().max(250).optional(), emailAddress: z.string().max(254).optional() })
    .optional(),
  packages: z
    .array(
      z.object({
        weightInGrams: z.number().int().min(1).max(30_000),
        packageFormatIdentifier: z.string(),
      }),
    )
    .min(1),
  orderDate: z.iso.datetime({ offset: true }),
  subtotal: z.number().min(0),
  shippingCostCharged: z.number().min(0),
  total: z.number().min(0),
  currencyCode: z.string().max(3).optional(),
  postageDetails: z.object({
    serviceCode: z.string().max(10),
    sendNotificationsTo: z.enum(['sender', 'recipient', 'billing']).optional(),
    receiveEmailNotification: z.boolean().optional(),
    receiveSmsNotification: z.boolean().optional(),
  }),
  tags: z.array(z.object({ key: z.string().max(100), value: z.string().max(100) })).optional(),
  label: z.object({ includeLabelInResponse: z.boolean() }).optional(),
});
export type OrderItem = z.infer<typeof orderItem>;

export const createOrdersBody = z.object({ items: z.array(z.unknown()).min(1).max(100) });

export type OrderError = {
  errorCode: number;
  errorMessage: string;
  fields: { fieldName: string; value: unknown }[];
};

// The shape of a UK postcode: outward code, space optional, inward code.
const UK_POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$/i;

/** Everything wrong with one order, so the caller can fix it in one go. */
export const orderErrors = (item: unknown): { order?: OrderItem; errors: OrderError[] } => {
  const parsed = orderItem.safeParse(item);
  if (!parsed.success) {
    return {
      errors: parsed.error.issues.map((issue) => ({
        errorCode: 1000,
        errorMessage: issue.message,
        fields: [{ fieldName: issue.path.join('.'), value: null }],
      })),
    };
  }
  const order = parsed.data;
  const errors: OrderError[] = [];
  const { address: to } = order.recipient;
  if (to.countryCode !== 'GB') {
    errors.push({
      errorCode: 1002,
      errorMessage: 'Only UK addresses can use these services',
      fields: [{ fieldName: 'recipient.address.countryCode', value: to.countryCode }],
    });
  }
  if (!to.postcode || !UK_POSTCODE.test(to.postcode)) {
    errors.push({
      errorCode: 1001,
      errorMessage: 'Invalid postcode',
      fields: [{ fieldName: 'recipient.address.postcode', value: to.postcode ?? null }],
    });
  }
  const code = order.postageDetails.serviceCode;
  const service = SERVICES[code as ServiceCode] as (typeof SERVICES)[ServiceCode] | undefined;
  if (!service) {
    errors.push({
      errorCode: 1100,
      errorMessage: `Service ${code} is not available on this account`,
      fields: [{ fieldName: 'postageDetails.serviceCode', value: code }],
    });
  }
  order.packages.forEach((pkg, i) => {
    const format = pkg.packageFormatIdentifier;
    const max = FORMAT_MAX_GRAMS[format];
    const field = `packages[${i}]`;
    if (max === undefined) {
      errors.push({
        errorCode: 1201,
        errorMessage: `Unknown package format ${format}`,
        fields: [{ fieldName: `${field}.packageFormatIdentifier`, value: format }],
      });
      return;
    }
    if (service && !(service.formats as readonly string[]).includes(format)) {
      errors.push({
        errorCode: 1202,
        errorMessage: `${service.name} does not take format ${format}`,
        fields: [{ fieldName: `${field}.packageFormatIdentifier`, value: format }],
      });
    }
    if (pkg.weightInGrams > max) {
      errors.push({
        errorCode: 1200,
        errorMessage: `A ${format} weighs at most ${max} g`,
        fields: [{ fieldName: `${field}.weightInGrams`, value: pkg.weightInGrams }],
      });
    }
  });
  return { order, errors };
};

/** UPU S10 check digit: weights 8 6 4 2 3 5 9 7 over the serial, then 11 − sum mod 11. */
export const s10CheckDigit = (serial: string): number => {
  const weights = [8, 6, 4, 2, 3, 5, 9, 7];
  const sum = [...serial].reduce((total, digit, i) => total + Number(digit) * (weights[i] ?? 0), 0);
  const check = 11 - (sum % 11);
  return check === 10 ? 0 : check === 11 ? 5 : check;
};

/** A tracking number in Royal Mail's S10 format, e.g. `TT012345675GB`. */
export const trackingNumber = (prefix: string, sequence: number): string => {
  const serial = String(sequence).padStart(8, '0');
  return `${prefix}${serial}${s10CheckDigit(serial)}GB`;
};
