import { createHmac } from 'node:crypto';
import pg from 'pg';
import type { SqlClient, SqlPool } from '../../platform/sql.js';
import { createPool, type Database, type DatabaseConfig, startDatabaseServer } from './database.js';
import { migrate } from './migrate.js';

/**
 * The platform runs as a least-privilege PostgreSQL role: it may read and write what it needs, may
 * only append to the event store and the audit trail, and owns nothing, so it can neither disable
 * their triggers nor alter the tables. Migrations and grants run as the owner.
 *
 * Two ways to run against your own server:
 * - `MIGRATION_DATABASE_URL` names the owner and `DATABASE_URL` a login role you created for the
 *   app; the platform migrates as the owner and grants the app role what it needs.
 * - `DATABASE_URL` alone names a role that may create roles (a superuser, or one with CREATEROLE):
 *   the platform creates `pharmacy_app` itself, with a password derived from the owner's
 *   credentials, and connects as it.
 */
export const APP_ROLE = 'pharmacy_app';

export type AppDatabaseConfig = DatabaseConfig & {
  /** The owner's URL, when DATABASE_URL is the app's own role. */
  migrationDatabaseUrl?: string;
};

export type AppDatabase = Database & {
  /** The owner's connection, for owner tasks such as rebuilding the audit trail. */
  ownerConnectionString: string;
  appRole: string;
  /** Migration files this start applied. */
  applied: string[];
};

const UNIQUE_VIOLATION = '23505';
const DUPLICATE_OBJECT = '42710';
const CONCURRENT_UPDATE = 'XX000';
const INVALID_PASSWORD = '28P01';

export class DatabaseRoleError extends Error {}

const withUser = (url: string, user: string, password: string) => {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(user);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
};

const userOf = (url: string) => decodeURIComponent(new URL(url).username);

/**
 * The app role's password, derived from the owner's credentials and the server (not the
 * database): every process and every database on the server agree on it without storing it.
 */
export const derivedAppPassword = (ownerUrl: string): string => {
  const parsed = new URL(ownerUrl);
  const secret = `${parsed.username}:${decodeURIComponent(parsed.password)}@${parsed.host}`;
  return createHmac('sha256', secret).update(`${APP_ROLE} login`).digest('base64url');
};

/** Catalog rows updated by two starting processes at once fail with "tuple concurrently updated". */
const retried = async <T>(work: () => Promise<T>): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: string }).code;
      const racing = code === CONCURRENT_UPDATE || code === UNIQUE_VIOLATION || code === DUPLICATE_OBJECT;
      if (!racing || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt * Math.random()));
    }
  }
};

const canLogIn = async (url: string): Promise<boolean> => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === INVALID_PASSWORD) return false;
    throw error;
  }
};

/** Creates `pharmacy_app` if it is missing, keeps it unprivileged and its password the derived one. */
const ensureAppRole = async (owner: SqlPool, ownerUrl: string): Promise<string> => {
  const password = derivedAppPassword(ownerUrl);
  const role = pg.escapeIdentifier(APP_ROLE);
  const { rows } = await owner.query<{ rolsuper: boolean; rolcreaterole: boolean }>(
    'SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user',
  );
  const me = rows[0]!;
  if (!me.rolsuper && !me.rolcreaterole)
    throw new DatabaseRoleError(
      `the role in DATABASE_URL (${userOf(ownerUrl)}) cannot create the app's own role: either give it ` +
        'CREATEROLE, or create a login role for the app and set DATABASE_URL to it and ' +
        'MIGRATION_DATABASE_URL to the owner (see docs/SECURITY.md)',
    );
  await retried(() =>
    owner.query(`DO $$ BEGIN
        CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`),
  );
  const attributes = await owner.query<{ privileged: boolean }>(
    `SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls AS privileged
       FROM pg_roles WHERE rolname = $1`,
    [APP_ROLE],
  );
  if (attributes.rows[0]?.privileged)
    await retried(() =>
      owner.query(`ALTER ROLE ${role} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS`),
    );
  const appUrl = withUser(ownerUrl, APP_ROLE, password);
  if (!(await canLogIn(appUrl)))
    await retried(() => owner.query(`ALTER ROLE ${role} LOGIN PASSWORD ${pg.escapeLiteral(password)}`));
  if (me.rolsuper) {
    // Its errors are logged without the DETAIL and CONTEXT lines that quote rows and JSON.
    const set = await owner.query(
      `SELECT 1 FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole
        WHERE r.rolname = $1 AND s.setdatabase = 0 AND 'log_error_verbosity=terse' = ANY (s.setconfig)`,
      [APP_ROLE],
    );
    if (set.rowCount === 0)
      await retried(() => owner.query(`ALTER ROLE ${role} SET log_error_verbosity = 'terse'`));
  }
  return appUrl;
};

/**
 * What the app role may do in this database, set again after every migration so tables added by
 * later migrations are covered: read and write, but on append-only tables (those guarded by the
 * `refuse_change` trigger) only read and insert, and never change the migration history.
 */
const grantAppRole = async (client: SqlClient, appRole: string) => {
  const role = pg.escapeIdentifier(appRole);
  const { rows } = await client.query<{ database: string }>('SELECT current_database() AS database');
  await client.query(
    `GRANT CONNECT, TEMPORARY ON DATABASE ${pg.escapeIdentifier(rows[0]!.database)} TO ${role}`,
  );
  await client.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
  await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
  await client.query(`REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM ${role}`);
  await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
  const appendOnly = await client.query<{ table: string }>(
    `SELECT DISTINCT c.relname AS table FROM pg_trigger t
       JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
      WHERE p.proname = 'refuse_change' AND NOT t.tgisinternal`,
  );
  for (const { table } of appendOnly.rows)
    await client.query(`REVOKE UPDATE, DELETE ON ${pg.escapeIdentifier(table)} FROM ${role}`);
  await client.query(`REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM ${role}`);
};

/** Refuses an operator-given app role that could switch the audit protection off. */
const checkAppRole = async (appUrl: string) => {
  const client = new pg.Client({ connectionString: appUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ rolsuper: boolean; owns: boolean }>(
      `SELECT r.rolsuper,
              EXISTS (SELECT 1 FROM pg_class c WHERE c.relname IN ('events', 'audit_log')
                         AND pg_has_role(current_user, c.relowner, 'MEMBER')) AS owns
         FROM pg_roles r WHERE r.rolname = current_user`,
    );
    if (rows[0]?.rolsuper || rows[0]?.owns)
      throw new DatabaseRoleError(
        'the role in DATABASE_URL is a superuser or owns the event store: it could disable the audit ' +
          "trail's protection. Give the app a role of its own (see docs/SECURITY.md).",
      );
  } finally {
    await client.end();
  }
};

/**
 * Opens the platform's database: migrates and grants as the owner, then hands back a pool that
 * connects as the app role. With DATABASE_URL unset the embedded server's superuser is the owner.
 */
export const openAppDatabase = async (config: AppDatabaseConfig = {}): Promise<AppDatabase> => {
  const ownerGiven = config.migrationDatabaseUrl ?? config.databaseUrl;
  const server = await startDatabaseServer({ ...config, databaseUrl: ownerGiven });
  const ownerUrl = server.connectionString;
  const owner = createPool(ownerUrl, { ...config, poolSize: 2, applicationName: 'pharmacy-migrations' });
  let appUrl: string;
  let applied: string[];
  try {
    if (config.migrationDatabaseUrl) {
      if (!config.databaseUrl)
        throw new DatabaseRoleError('MIGRATION_DATABASE_URL needs DATABASE_URL for the app role beside it');
      appUrl = config.databaseUrl;
      if (userOf(appUrl) === userOf(ownerUrl))
        throw new DatabaseRoleError(
          'DATABASE_URL and MIGRATION_DATABASE_URL name the same role: give the app its own',
        );
    } else {
      appUrl = await ensureAppRole(owner, ownerUrl);
    }
    const appRole = userOf(appUrl);
    applied = await migrate(owner, undefined, { afterMigrations: (client) => grantAppRole(client, appRole) });
    if (config.migrationDatabaseUrl) await checkAppRole(appUrl);
  } catch (error) {
    await owner.end();
    await server.stop();
    throw error;
  }
  await owner.end();
  const pool = createPool(appUrl, config);
  return {
    pool,
    connectionString: appUrl,
    ownerConnectionString: ownerUrl,
    appRole: userOf(appUrl),
    applied,
    embedded: server.embedded,
    close: async () => {
      await pool.end();
      await server.stop();
    },
  };
};
