import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import {
  authenticateToken,
  createStaffUser,
  ensureInitialStaff,
  ensureStaffUser,
  type StaffAuthOptions,
  type StaffRole,
  staffAuthPlugin,
} from '../../src/http/auth/index.js';
import { HOUR, type ManualClock, MINUTE, manualClock } from '../../src/platform/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const PASSWORD = 'correct horse battery staple';

let db: TestDatabase;
let clock: ManualClock;
let app: FastifyInstance;
const staffStore = () => createPostgresEventStore(db.pool);
const staffDeps = () => ({ pool: db.pool, store: staffStore(), clock });

/** The plugin plus a few routes of the kind other capabilities will guard with it. */
const buildApp = async (options: Partial<StaffAuthOptions> = {}, logLines?: string[]) => {
  const logger = logLines
    ? {
        level: 'debug',
        stream: new Writable({
          write(chunk, _encoding, done) {
            logLines.push(String(chunk));
            done();
          },
        }),
      }
    : false;
  const server = Fastify({ logger });
  await server.register(cookie);
  await server.register(staffAuthPlugin, { pool: db.pool, store: staffStore(), clock, ...options });
  server.get('/orders', { preHandler: server.requireRoles('ops') }, async (request) => ({
    seenBy: request.staff?.id,
  }));
  server.post('/orders', { preHandler: server.requireRoles('ops') }, async () => ({ accepted: true }));
  server.get(
    '/dispensing',
    { preHandler: server.requireRoles('pharmacist', 'prescriber') },
    async () => ({}),
  );
  await server.ready();
  return server;
};

let seq = 0;
/** A user of their own per test, so one test's failed sign-ins never lock another's account. */
const aStaffUser = async (roles: StaffRole[] = ['ops'], password = PASSWORD) => {
  seq += 1;
  const email = `staff${seq}@pharmacy.example.org`;
  const user = await createStaffUser(staffDeps(), { email, password, displayName: `Staff ${seq}`, roles });
  return { ...user, password };
};

const login = (email: string, password: string, server = app) =>
  server.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });

const signedIn = async (roles: StaffRole[] = ['ops']) => {
  const user = await aStaffUser(roles);
  const response = await login(user.email, user.password);
  expect(response.statusCode).toBe(200);
  const body = response.json<{ token: string; csrfToken: string; expiresAt: string; sessionId: string }>();
  return { user, ...body };
};

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const expectProblem = (response: LightMyRequestResponse, status: number) => {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json<{ type: string; title: string; status: number; detail: string }>();
  expect(body).toMatchObject({ type: expect.any(String), title: expect.any(String), status });
  return body;
};

beforeAll(async () => {
  db = await createTestDatabase();
  clock = manualClock('2026-03-02T09:00:00Z');
  app = await buildApp();
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe('signing in', () => {
  it('returns the user, a token and a CSRF token, and sets a strict httpOnly session cookie', async () => {
    const user = await aStaffUser(['ops', 'auditor']);
    const response = await login(user.email.toUpperCase(), user.password);

    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toEqual({
      user: {
        id: user.id,
        email: user.email,
        displayName: user.displayName,
        roles: ['ops', 'auditor'],
        mustChangePassword: false,
      },
      sessionId: expect.any(String),
      token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      csrfToken: expect.any(String),
      expiresAt: new Date(clock.now().getTime() + 12 * HOUR).toISOString(),
    });
    const session = response.cookies.find((c) => c.name === 'session');
    expect(session).toMatchObject({
      value: body.token,
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      maxAge: 12 * 3600,
    });
    expect(session?.secure).toBeFalsy();
  });

  it('marks the cookie Secure when the request came over https or the option says so', async () => {
    const user = await aStaffUser();
    const forced = await buildApp({ secureCookies: true });
    const proxied = Fastify({ trustProxy: true });
    await proxied.register(cookie);
    await proxied.register(staffAuthPlugin, { pool: db.pool, store: staffStore(), clock });
    try {
      const viaOption = await login(user.email, user.password, forced);
      const viaHttps = await proxied.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'x-forwarded-proto': 'https' },
        payload: { email: user.email, password: user.password },
      });
      expect(viaOption.cookies.find((c) => c.name === 'session')?.secure).toBe(true);
      expect(viaHttps.cookies.find((c) => c.name === 'session')?.secure).toBe(true);
    } finally {
      await forced.close();
      await proxied.close();
    }
  });

  it('answers a wrong password and an unknown email alike, without saying which part was wrong', async () => {
    const user = await aStaffUser();
    const wrongPassword = expectProblem(await login(user.email, 'not the password at all'), 401);
    const unknownEmail = expectProblem(await login('nobody@pharmacy.example.org', user.password), 401);

    expect(wrongPassword).toEqual(unknownEmail);
    expect(wrongPassword.detail).toBe('The email or password is incorrect.');
  });

  it('refuses a malformed body with a 400 problem listing the fields', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'x' } });
    const body = expectProblem(response, 400);
    expect(body).toMatchObject({ errors: [{ path: 'password' }] });

    const notJson = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"password": "hunter2hunter2',
    });
    expect(expectProblem(notJson, 400).detail).not.toContain('hunter2');
  });

  it('pauses sign-in after 5 consecutive failures from one place, even for the right password, with back-off', async () => {
    const user = await aStaffUser();
    for (let attempt = 1; attempt <= 4; attempt++)
      expectProblem(await login(user.email, 'wrong password!'), 401);

    const fifth = expectProblem(await login(user.email, 'wrong password!'), 423);
    const lockedUntil = new Date(clock.now().getTime() + MINUTE).toISOString();
    expect(fifth.detail).toBe(`Sign-in paused after 5 failed attempts; try again after ${lockedUntil}.`);

    clock.advance(30_000);
    const stillLocked = await login(user.email, user.password);
    expectProblem(stillLocked, 423);
    expect(stillLocked.headers['retry-after']).toBe('30');

    clock.advance(30_000);
    expect((await login(user.email, user.password)).statusCode).toBe(200);
  });

  it('counts only consecutive failures: a success resets the count', async () => {
    const user = await aStaffUser();
    for (let attempt = 1; attempt <= 4; attempt++) await login(user.email, 'wrong password!');
    expect((await login(user.email, user.password)).statusCode).toBe(200);
    for (let attempt = 1; attempt <= 4; attempt++)
      expectProblem(await login(user.email, 'wrong password!'), 401);
    expect((await login(user.email, user.password)).statusCode).toBe(200);
  });
});

describe('authenticating requests', () => {
  it('accepts the token as a Bearer header', async () => {
    const { user, token } = await signedIn();
    const response = await app.inject({ url: '/orders', headers: bearer(token) });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ seenBy: user.id });
  });

  it('accepts the session cookie for a GET', async () => {
    const { user, token } = await signedIn();
    const response = await app.inject({ url: '/orders', cookies: { session: token } });
    expect(response.json()).toEqual({ seenBy: user.id });
  });

  it('answers 401 without credentials, and never falls back from a bad Bearer token to the cookie', async () => {
    const { token } = await signedIn();
    expectProblem(await app.inject({ url: '/orders' }), 401);
    expectProblem(await app.inject({ url: '/orders', headers: bearer('x'.repeat(43)) }), 401);
    const mixed = await app.inject({
      url: '/orders',
      headers: bearer('x'.repeat(43)),
      cookies: { session: token },
    });
    expectProblem(mixed, 401);
  });

  it('answers 403 naming the accepted roles when the user holds none of them', async () => {
    const { token } = await signedIn(['ops', 'auditor']);
    const body = expectProblem(await app.inject({ url: '/dispensing', headers: bearer(token) }), 403);
    expect(body).toMatchObject({ requiredRoles: ['pharmacist', 'prescriber'] });
    expect(body.detail).toContain('pharmacist, prescriber');
  });

  it('keeps roles explicit: admin does not pass an ops-only route', async () => {
    const { token } = await signedIn(['admin']);
    expectProblem(await app.inject({ url: '/orders', headers: bearer(token) }), 403);
  });

  it('ends the session after 12 hours however active, and after 30 minutes unused', async () => {
    const { token } = await signedIn();
    // Used every 25 minutes: never idle, yet over at 12 hours.
    for (let step = 1; step <= 28; step++) {
      clock.advance(25 * MINUTE);
      expect((await app.inject({ url: '/orders', headers: bearer(token) })).statusCode, `${step}`).toBe(200);
    }
    clock.advance(25 * MINUTE);
    expectProblem(await app.inject({ url: '/orders', headers: bearer(token) }), 401);
    expectProblem(await app.inject({ url: '/api/auth/me', cookies: { session: token } }), 401);

    const idle = await signedIn();
    clock.advance(29 * MINUTE);
    expect((await app.inject({ url: '/orders', headers: bearer(idle.token) })).statusCode).toBe(200);
    clock.advance(31 * MINUTE);
    expectProblem(await app.inject({ url: '/orders', headers: bearer(idle.token) }), 401);
  });

  it('exposes authenticateToken for non-HTTP callers', async () => {
    const { user, token } = await signedIn();
    expect(await authenticateToken(db.pool, token, clock)).toMatchObject({ id: user.id, roles: ['ops'] });
    expect(await authenticateToken(db.pool, 'not-a-token', clock)).toBeNull();
    expect(
      await authenticateToken(
        db.pool,
        token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
        clock,
      ),
    ).toBeNull();
  });
});

describe('CSRF protection', () => {
  it('refuses a cookie-authenticated POST without the CSRF header or with a wrong one', async () => {
    const { token, csrfToken } = await signedIn();
    const missing = await app.inject({ method: 'POST', url: '/orders', cookies: { session: token } });
    expectProblem(missing, 403);
    const wrong = await app.inject({
      method: 'POST',
      url: '/orders',
      cookies: { session: token },
      headers: { 'x-csrf-token': `${csrfToken.slice(1)}A` },
    });
    expectProblem(wrong, 403);
  });

  it('accepts a cookie-authenticated POST carrying the session CSRF token', async () => {
    const { token, csrfToken } = await signedIn();
    const response = await app.inject({
      method: 'POST',
      url: '/orders',
      cookies: { session: token },
      headers: { 'x-csrf-token': csrfToken },
    });
    expect(response.statusCode).toBe(200);
  });

  it("binds the CSRF token to its session: another session's token is refused", async () => {
    const first = await signedIn();
    const second = await signedIn();
    const response = await app.inject({
      method: 'POST',
      url: '/orders',
      cookies: { session: first.token },
      headers: { 'x-csrf-token': second.csrfToken },
    });
    expectProblem(response, 403);
  });

  it('exempts Bearer-authenticated requests, which browsers never send on their own', async () => {
    const { token } = await signedIn();
    const response = await app.inject({ method: 'POST', url: '/orders', headers: bearer(token) });
    expect(response.statusCode).toBe(200);
  });

  it('hands the CSRF token back from /api/auth/me so a reloaded page can recover it', async () => {
    const { user, token, csrfToken, expiresAt, sessionId } = await signedIn(['pharmacist']);
    const response = await app.inject({ url: '/api/auth/me', cookies: { session: token } });
    expect(response.json()).toEqual({
      user: {
        id: user.id,
        email: user.email,
        displayName: user.displayName,
        roles: ['pharmacist'],
        mustChangePassword: false,
      },
      sessionId,
      csrfToken,
      expiresAt,
      idleExpiresAt: new Date(clock.now().getTime() + 30 * MINUTE).toISOString(),
    });
  });
});

describe('signing out', () => {
  it('revokes the session and clears the cookie', async () => {
    const { token, csrfToken } = await signedIn();
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      cookies: { session: token },
      headers: { 'x-csrf-token': csrfToken },
    });
    expect(response.statusCode).toBe(204);
    const cleared = response.cookies.find((c) => c.name === 'session');
    expect(cleared?.value).toBe('');
    expect(cleared?.expires?.getTime()).toBeLessThan(Date.now());

    expectProblem(await app.inject({ url: '/orders', headers: bearer(token) }), 401);
    expectProblem(await app.inject({ url: '/api/auth/me', headers: bearer(token) }), 401);
  });

  it('needs the CSRF token when signing out by cookie, so another site cannot sign staff out', async () => {
    const { token } = await signedIn();
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      cookies: { session: token },
    });
    expectProblem(response, 403);
    expect((await app.inject({ url: '/orders', headers: bearer(token) })).statusCode).toBe(200);
  });
});

describe('staff accounts', () => {
  it('creates users idempotently and never overwrites an existing password', async () => {
    const input = {
      email: 'Ensure@Pharmacy.example.org',
      displayName: 'Ensured',
      roles: ['ops'] as StaffRole[],
    };
    const first = await ensureStaffUser(staffDeps(), { ...input, password: PASSWORD });
    const second = await ensureStaffUser(staffDeps(), { ...input, password: 'a different password' });

    expect(first.created).toBe(true);
    expect(second).toEqual({ user: first.user, created: false });
    expect(first.user.email).toBe('ensure@pharmacy.example.org');
    expect((await login(input.email, PASSWORD)).statusCode).toBe(200);
    expectProblem(await login(input.email, 'a different password'), 401);
  });

  it('creates the first admin and dev users once, returning only the new ones with their passwords', async () => {
    const options = { adminEmail: 'boss@clinic.example.org', adminPassword: PASSWORD, devUsers: true };
    const created = await ensureInitialStaff(staffDeps(), options);
    const again = await ensureInitialStaff(staffDeps(), options);

    expect(created.map((c) => [c.user.email, c.user.roles])).toEqual([
      ['boss@clinic.example.org', ['admin']],
      ['ops@clinic.example.org', ['ops']],
      ['pharmacist@clinic.example.org', ['pharmacist']],
      ['prescriber@clinic.example.org', ['prescriber']],
      ['auditor@clinic.example.org', ['auditor']],
    ]);
    expect(again).toEqual([]);
    const pharmacist = created.find((c) => c.user.roles.includes('pharmacist'))!;
    expect(pharmacist.password.length).toBeGreaterThanOrEqual(12);
    expect((await login(pharmacist.user.email, pharmacist.password)).statusCode).toBe(200);
  });

  it('refuses passwords shorter than 12 characters', async () => {
    const attempt = createStaffUser(staffDeps(), {
      email: 'short@pharmacy.example.org',
      password: 'elevenchars',
      displayName: 'Short',
      roles: ['ops'],
    });
    await expect(attempt).rejects.toMatchObject({ reason: 'password_too_short' });
  });

  it('stores only an scrypt hash of the password and a sha256 of the session token', async () => {
    const { user, token } = await signedIn();
    const { rows } = await db.pool.query<{ password_hash: string }>(
      'SELECT password_hash FROM staff_credentials WHERE staff_id = $1',
      [user.id],
    );
    const stored = rows[0]!.password_hash;
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{86}==$/);
    expect(stored).not.toContain(user.password);

    const sessions = await db.pool.query('SELECT * FROM staff_sessions WHERE user_id = $1', [user.id]);
    expect(JSON.stringify(sessions.rows)).not.toContain(token);
    expect(sessions.rows[0].token_hash).toBe(createHash('sha256').update(token).digest('hex'));
  });

  it('keeps passwords and tokens out of the logs', async () => {
    const lines: string[] = [];
    const logged = await buildApp({}, lines);
    try {
      const user = await aStaffUser();
      const response = await login(user.email, user.password, logged);
      const { token, csrfToken } = response.json();
      await login(user.email, 'wrong password!', logged);
      await logged.inject({ url: '/orders', headers: bearer(token) });
      await logged.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer(token) });

      const log = lines.join('');
      expect(log).toContain('staff signed in');
      for (const secret of [user.password, 'wrong password!', token, csrfToken])
        expect(log).not.toContain(secret);
    } finally {
      await logged.close();
    }
  });
});

describe('admin endpoints', () => {
  it('let an admin create a user who must choose their own password first, and list users without any hash', async () => {
    const admin = await signedIn(['admin']);
    const created = await app.inject({
      method: 'POST',
      url: '/api/admin/staff',
      headers: bearer(admin.token),
      payload: {
        email: 'new.pharmacist@pharmacy.example.org',
        displayName: 'New Pharmacist',
        password: PASSWORD,
        roles: ['pharmacist', 'prescriber'],
      },
    });
    expect(created.statusCode).toBe(201);
    const { user } = created.json();
    expect(user).toEqual({
      id: expect.any(String),
      email: 'new.pharmacist@pharmacy.example.org',
      displayName: 'New Pharmacist',
      roles: ['pharmacist', 'prescriber'],
    });
    const first = await login(user.email, PASSWORD);
    expect(first.statusCode).toBe(200);
    expect(first.json().user.mustChangePassword).toBe(true);
    const { token } = first.json();
    expectProblem(await app.inject({ url: '/dispensing', headers: bearer(token) }), 403);
    const changed = await app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: bearer(token),
      payload: { currentPassword: PASSWORD, newPassword: 'my very own password' },
    });
    expect(changed.statusCode).toBe(204);
    expect((await app.inject({ url: '/dispensing', headers: bearer(token) })).statusCode).toBe(200);

    const listed = await app.inject({ url: '/api/admin/staff', headers: bearer(admin.token) });
    expect(listed.statusCode).toBe(200);
    const { staff } = listed.json();
    expect(staff).toContainEqual({
      ...user,
      disabled: false,
      mustChangePassword: false,
      createdAt: clock.now().toISOString(),
      updatedAt: clock.now().toISOString(),
    });
    expect(listed.body).not.toMatch(/scrypt|password_hash/i);
  });

  it('refuse a duplicate email with 409 and an invalid body with 400', async () => {
    const admin = await signedIn(['admin']);
    const existing = await aStaffUser();
    const create = (payload: object) =>
      app.inject({ method: 'POST', url: '/api/admin/staff', headers: bearer(admin.token), payload });
    const valid = { email: existing.email, displayName: 'Dup', password: PASSWORD, roles: ['ops'] };

    expectProblem(await create(valid), 409);
    const invalid = expectProblem(await create({ ...valid, password: 'short', roles: ['janitor'] }), 400);
    expect(invalid).toMatchObject({
      errors: expect.arrayContaining([
        expect.objectContaining({ path: 'password' }),
        expect.objectContaining({ path: 'roles.0' }),
      ]),
    });
  });

  it('are refused to non-admins (403) and to anonymous callers (401)', async () => {
    const ops = await signedIn(['ops', 'pharmacist', 'prescriber', 'auditor']);
    const body = expectProblem(
      await app.inject({ url: '/api/admin/staff', headers: bearer(ops.token) }),
      403,
    );
    expect(body).toMatchObject({ requiredRoles: ['admin'] });
    expectProblem(await app.inject({ url: '/api/admin/staff' }), 401);
    const anonymousCreate = await app.inject({ method: 'POST', url: '/api/admin/staff', payload: {} });
    expectProblem(anonymousCreate, 401);
  });
});
