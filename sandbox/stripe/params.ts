import { z } from 'zod';
import { validationError } from './apiError.js';
import type { FormObject } from './formBody.js';

/** Form values arrive as strings; these read them the way Stripe does. */
export const intParam = z
  .string()
  .regex(/^-?\d+$/, 'Invalid integer')
  .transform(Number);
export const boolParam = z.enum(['true', 'false'], 'Invalid boolean').transform((value) => value === 'true');
export const metadataParam = z.record(z.string(), z.string());
export const currencyParam = z
  .string()
  .regex(/^[a-zA-Z]{3}$/, 'Invalid currency')
  .transform((value) => value.toLowerCase());

/** `['line_items', 0, 'price_data']` → `line_items[0][price_data]`, the name Stripe reports in `param`. */
const paramName = (path: readonly PropertyKey[]): string =>
  path.map((segment, index) => (index === 0 ? String(segment) : `[${String(segment)}]`)).join('');

const valueAt = (body: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>(
    (node, key) =>
      node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined,
    body,
  );

/** Validates request parameters, answering the first problem the way Stripe words it. */
export const parseParams = <Schema extends z.ZodType>(schema: Schema, body: FormObject): z.output<Schema> => {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const param = paramName([...issue.path, issue.keys[0] ?? '']);
    throw validationError(`Received unknown parameter: ${param}`, { code: 'parameter_unknown', param });
  }
  const param = paramName(issue.path);
  if (valueAt(body, issue.path) === undefined) {
    throw validationError(`Missing required param: ${param}.`, { code: 'parameter_missing', param });
  }
  const code = issue.message === 'Invalid integer' ? 'parameter_invalid_integer' : undefined;
  throw validationError(`${issue.message}: ${param}`, { param, ...(code ? { code } : {}) });
};
