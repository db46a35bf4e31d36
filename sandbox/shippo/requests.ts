import { z } from 'zod';

// What the stand-in reads from Shippo's request bodies (snake_case, as the SDK sends them).
// Unknown fields are dropped, as the real API ignores what it does not understand.

const measure = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    ctx.addIssue({ code: 'custom', message: 'A positive number is required.' });
    return z.NEVER;
  }
  return String(value);
});

export const addressInput = z.object({
  name: z.string().optional(),
  company: z.string().optional(),
  street1: z.string().min(1, 'This field is required.'),
  street2: z.string().optional(),
  street3: z.string().optional(),
  street_no: z.string().optional(),
  city: z.string().min(1, 'This field is required.'),
  state: z.string().optional(),
  zip: z.string().min(1, 'This field is required.'),
  country: z.string().length(2, 'Ensure this field is an ISO 3166-1 alpha-2 country code.'),
  phone: z.string().optional(),
  email: z.string().optional(),
  is_residential: z.boolean().optional(),
  metadata: z.string().max(100).optional(),
});
export type AddressInput = z.infer<typeof addressInput>;

export const parcelInput = z.object({
  length: measure,
  width: measure,
  height: measure,
  distance_unit: z.enum(['cm', 'in', 'ft', 'm', 'mm', 'yd']),
  weight: measure,
  mass_unit: z.enum(['g', 'kg', 'lb', 'oz']),
  metadata: z.string().max(100).optional(),
});
export type ParcelInput = z.infer<typeof parcelInput>;

export const shipmentInput = z.object({
  // The real API also takes ids of stored Address/Parcel objects; the stand-in wants them inline.
  address_from: addressInput,
  address_to: addressInput,
  address_return: addressInput.optional(),
  parcels: z.array(parcelInput).min(1, 'At least one parcel is required.'),
  extra: z.record(z.string(), z.unknown()).optional(),
  metadata: z.string().max(100).optional(),
  shipment_date: z.string().optional(),
  async: z.boolean().optional(),
  carrier_accounts: z.array(z.string()).optional(),
});

/** Only PDF labels: the stand-in renders every label as a PDF document. */
export const PDF_LABEL_TYPES = [
  'PDF',
  'PDF_4x6',
  'PDF_4x8',
  'PDF_A4',
  'PDF_A5',
  'PDF_A6',
  'PDF_2.3x7.5',
] as const;

export const transactionInput = z.object({
  rate: z.string({ error: 'Purchasing by rate object_id is the only mode the stand-in supports.' }),
  label_file_type: z.enum(PDF_LABEL_TYPES).optional(),
  metadata: z.string().max(100).optional(),
  async: z.boolean().optional(),
  order: z.string().optional(),
});

/** Shippo answers validation failures like Django REST framework: `{ field: [messages] }`. */
export const fieldErrors = (error: z.ZodError): Record<string, string[]> => {
  const body: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.join('.') : 'non_field_errors';
    body[key] = [...(body[key] ?? []), issue.message];
  }
  return body;
};
