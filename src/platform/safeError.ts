/** Quoted values in a message (`invalid input syntax for type uuid: "…"`) may be patient data. */
const QUOTED = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\((?:[^()]*)\)=\((?:[^()]*)\)/g;
const scrub = (text: string) => text.replace(QUOTED, '[value]');

/** A message with anything quoted in it taken out. */
export const scrubbedMessage = scrub;

/** Results already scrubbed, so the log serializer passes them through as they are. */
const scrubbed = new WeakSet<object>();

/**
 * An error as a log may hold it: its kind, code, message and stack with quoted values taken out.
 * PostgreSQL errors carry `detail` (the offending key or row), `where` (the JSON being parsed, which
 * is a patient's record) and the statement's parameters: none of those is ever copied.
 */
export const safeError = (error: unknown): Record<string, unknown> => {
  if (scrubbed.has(error as object)) return error as Record<string, unknown>;
  if (!(error instanceof Error)) return { type: typeof error, message: '[not an Error]' };
  const code = (error as { code?: unknown }).code;
  const safe: Record<string, unknown> = {
    type: error.constructor?.name ?? error.name,
    message: scrub(error.message),
    ...(typeof code === 'string' ? { code } : {}),
  };
  if (error.stack) safe.stack = scrub(error.stack);
  const { routine, table, column, constraint } = error as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries({ routine, table, column, constraint }))
    if (typeof value === 'string') safe[key] = value;
  if (error.cause !== undefined && error.cause !== error) safe.cause = safeError(error.cause);
  scrubbed.add(safe);
  return safe;
};
