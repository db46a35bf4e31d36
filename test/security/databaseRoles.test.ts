import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DatabaseRoleError, openAppDatabase } from '../../src/eventstore/postgres/appRole.js';
import { newId } from '../../src/platform/ids.js';

/**
 * Running on an operator's own server: an owner role for migrations (not a superuser) and a plain
 * login role for the app, named by MIGRATION_DATABASE_URL and DATABASE_URL. The platform migrates as
 * the owner, grants the app role its rights, and refuses app roles that could switch off the audit
 * trail's protection.
 */
const suffix = newId().toLowerCase();
const OWNER = `owner_${suffix}`;
const APP = `app_${suffix}`;
const DATABASE = `roles_${suffix}`;
const base = () => new URL(inject('databaseUrl'));
const urlFor = (user: string, password: string, database = DATABASE) => {
  const url = base();
  url.username = user;
  url.password = password;
  url.pathname = `/${database}`;
  return url.toString();
};

const asSuperuser = async (sql: string) => {
  const client = new pg.Client({ connectionString: inject('databaseUrl') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

beforeAll(async () => {
  await asSuperuser(`CREATE ROLE ${OWNER} LOGIN PASSWORD 'owner-password' NOSUPERUSER NOCREATEROLE`);
  await asSuperuser(`CREATE DATABASE ${DATABASE} OWNER ${OWNER}`);
  await asSuperuser(`CREATE ROLE ${APP} LOGIN PASSWORD 'app-password' NOSUPERUSER NOCREATEROLE`);
});
afterAll(async () => {
  await asSuperuser(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await asSuperuser(`DROP ROLE IF EXISTS ${APP}`);
  await asSuperuser(`DROP ROLE IF EXISTS ${OWNER}`);
});

describe('an operator-provided owner and app role', () => {
  it('migrates as the owner and runs as the app role, which can append but not rewrite or unprotect', async () => {
    const db = await openAppDatabase({
      migrationDatabaseUrl: urlFor(OWNER, 'owner-password'),
      databaseUrl: urlFor(APP, 'app-password'),
    });
    try {
      expect(db.appRole).toBe(APP);
      expect((await db.pool.query('SELECT current_user AS me')).rows[0].me).toBe(APP);
      await db.pool.query(
        `INSERT INTO events (stream_name, stream_revision, event_id, event_type, data, metadata)
         VALUES ('test-1', 0, gen_random_uuid(), 'Tested', '{}', '{}')`,
      );
      for (const sql of [
        'UPDATE events SET data = \'{"x":1}\'',
        'DELETE FROM events',
        'ALTER TABLE events DISABLE TRIGGER ALL',
        'TRUNCATE audit_log',
        'CREATE TABLE mine (x int)',
      ])
        await expect(db.pool.query(sql), sql).rejects.toThrow();
    } finally {
      await db.close();
    }
  });

  it('refuses an app role that is the owner, a superuser, or one that cannot create the role itself', async () => {
    await expect(
      openAppDatabase({
        migrationDatabaseUrl: urlFor(OWNER, 'owner-password'),
        databaseUrl: urlFor(OWNER, 'owner-password'),
      }),
    ).rejects.toBeInstanceOf(DatabaseRoleError);
    const superuser = base();
    superuser.pathname = `/${DATABASE}`;
    await expect(
      openAppDatabase({
        migrationDatabaseUrl: urlFor(OWNER, 'owner-password'),
        databaseUrl: superuser.toString(),
      }),
    ).rejects.toBeInstanceOf(DatabaseRoleError);
    await expect(openAppDatabase({ databaseUrl: urlFor(APP, 'app-password') })).rejects.toThrow(
      /MIGRATION_DATABASE_URL/,
    );
  });
});
