import { z } from 'zod';

/** The Modulus 11 check every NHS number carries; a mistyped number fails it. */
export const isValidNhsNumber = (value: string): boolean => {
  if (!/^\d{10}$/.test(value)) return false;
  const digits = [...value].map(Number);
  const sum = digits.slice(0, 9).reduce((total, digit, i) => total + digit * (10 - i), 0);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === digits[9];
};

const text = (max: number) => z.string().trim().min(1).max(max);

const medicine = z.object({
  name: text(200),
  strength: text(100),
  quantity: z.number().int().positive().max(1000),
  directions: text(500),
});

export const createBody = z.object({
  clinicReference: text(100),
  patient: z.object({
    fullName: text(200),
    dateOfBirth: z.iso.date(),
    address: z.object({
      line1: text(100),
      line2: text(100).optional(),
      city: text(100),
      postcode: text(10),
    }),
    nhsNumber: z
      .string()
      .transform((value) => value.replace(/\s+/g, ''))
      .refine(isValidNhsNumber, 'is not a valid NHS number')
      .optional(),
  }),
  prescriber: z.object({
    externalId: text(100),
    fullName: text(200),
    // GMC and GPhC numbers are both seven digits.
    registrationNumber: z.string().regex(/^\d{7}$/, 'must be a seven-digit GMC or GPhC number'),
  }),
  medicines: z.array(medicine).min(1).max(20),
  // One prescription may cover at most a three-month instalment plan.
  durationMonths: z.number().int().min(1).max(3),
});

export const updateBody = z
  .object({ medicines: z.array(medicine).min(1).max(20), durationMonths: z.number().int().min(1).max(3) })
  .partial();

export const cancelBody = z.object({ reason: text(500) });

export type PrescriptionStatus = 'awaiting_signature' | 'signed' | 'cancelled';

export type Prescription = z.infer<typeof createBody> & {
  id: string;
  status: PrescriptionStatus;
  signingUrl: string;
  createdAt: string;
  signedAt: string | null;
  cancelledAt: string | null;
  cancellationReason: string | null;
};

export const errorBody = (code: string, message: string, extra: Record<string, unknown> = {}) => ({
  error: { code, message, ...extra },
});

export const RX_FINAL = errorBody(
  'rx_final',
  'Rx is final: a signed prescription cannot be changed or voided',
);

export const invalidRequest = (error: z.ZodError) => {
  const issue = error.issues[0];
  const field = issue?.path.join('.');
  return errorBody('invalid_request', `${field}: ${issue?.message}`, { field });
};
