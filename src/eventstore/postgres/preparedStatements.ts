import { createHash } from 'node:crypto';
import pg from 'pg';

/**
 * Every parameterised statement the platform sends is prepared once per connection and then only
 * bound and executed. Unnamed, PostgreSQL parses and plans each one again on every call: for a
 * stream read that is two thirds of the server's CPU (85–150 µs against 38 µs prepared, measured on
 * the events table), and an order sends some two hundred statements.
 *
 * A statement's name is derived from its text, so the same text is the same prepared statement on
 * every connection. Statements without parameters (BEGIN, COMMIT, DDL) go as they came, and so does
 * every new text once MAX_PREPARED distinct ones are known: statements composed from filters stay
 * bounded in number, and the cap keeps each server session's plan cache bounded even if not.
 */
export const MAX_PREPARED = 2_000;

const PREPARABLE = /^\s*(SELECT|WITH|INSERT|UPDATE|DELETE)\b/i;
const names = new Map<string, string | null>();

/** The name `text` is prepared under, or null when it goes unnamed. */
export const preparedNameOf = (text: string): string | null => {
  let name = names.get(text);
  if (name !== undefined) return name;
  if (names.size >= MAX_PREPARED) return null;
  name = PREPARABLE.test(text) ? `s${createHash('sha1').update(text).digest('base64url')}` : null;
  names.set(text, name);
  return name;
};

/**
 * The statement to send in place of `config`: named after its text when it carries parameters and
 * has no name of its own. Cursors and streams (objects that submit themselves) are left alone.
 */
const withName = (config: unknown, values: unknown): unknown => {
  const statement = typeof config === 'string' ? { text: config } : config;
  if (!statement || typeof statement !== 'object' || 'submit' in statement || 'name' in statement)
    return config;
  const { text } = statement as { text?: unknown };
  const given = Array.isArray(values) ? values : (statement as { values?: unknown }).values;
  if (typeof text !== 'string' || !Array.isArray(given) || given.length === 0) return config;
  const name = preparedNameOf(text);
  return name ? { ...statement, name } : config;
};

/** A client that prepares each parameterised statement it is given without a name (see above). */
export class PreparingClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: the driver's own overloads, passed through unchanged.
  override query(config: any, ...rest: any[]): any {
    return super.query(withName(config, rest[0]) as never, ...(rest as []));
  }
}
