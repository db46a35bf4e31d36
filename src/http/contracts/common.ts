import { z } from 'zod';

/**
 * A UTC instant on the wire: ISO 8601 text. Read models hand back `Date`s (PostgreSQL timestamptz)
 * or the text already stored in a view; either is sent as the text, so clients always get a string.
 */
export const instant = z.codec(z.string(), z.union([z.date(), z.string()]), {
  decode: (text) => text,
  encode: (value) => (value instanceof Date ? value.toISOString() : value),
});

/**
 * What an answer looks like on the wire, as the web app receives it: the encoded side of the
 * response contract (an `instant` arrives as a string).
 */
export type Wire<Schema extends z.ZodType> = z.input<Schema>;
