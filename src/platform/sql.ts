/**
 * What the code above the adapters knows of a SQL database: it sends a statement with its
 * parameters and gets rows back, on a pool or on one connection held for a transaction. The
 * statements are PostgreSQL's; the driver (`pg`) stays in `src/eventstore/postgres/`, which opens
 * the pool and hands it out as these types.
 */
// biome-ignore lint/suspicious/noExplicitAny: rows are typed by each caller, as the driver types them.
export type SqlRow = Record<string, any>;

export type SqlResult<R extends SqlRow> = { rows: R[]; rowCount: number | null };

/** A statement the server prepares once per connection under its name (hot paths). */
export type SqlStatement = { name?: string; text: string; values?: unknown[] };

/** A pool or a held connection: anything a statement can be sent on. */
export type SqlQueryable = {
  // biome-ignore lint/suspicious/noExplicitAny: as the driver's own default.
  query<R extends SqlRow = any>(text: string | SqlStatement, values?: unknown[]): Promise<SqlResult<R>>;
};

/** One connection taken from the pool, for a transaction; released after. */
export type SqlClient = SqlQueryable & {
  release(destroy?: boolean | Error): void;
};

export type SqlPool = SqlQueryable & {
  connect(): Promise<SqlClient>;
  end(): Promise<void>;
};

/** Whether the database answers at all (liveness): throws when it does not. */
export const pingDatabase = async (db: SqlQueryable): Promise<void> => {
  await db.query('SELECT 1');
};
