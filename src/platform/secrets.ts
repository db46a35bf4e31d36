import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { projectRoot } from './paths.js';
import type { SqlPool } from './sql.js';

/** Where a local install keeps the keys it made up for itself (never used when the environment sets them). */
export const DEV_KEYS_DIR = join(projectRoot, '.data', 'keys');

export type LoadedKey = { value: string; generated: boolean; file?: string };

/**
 * A key that must live outside the database (the audit key, the key that encrypts stored secrets):
 * from the environment in production; on a local install generated once into `.data/keys/` (0600)
 * so it survives restarts. A server that can write neither refuses to start rather than run keyless.
 */
export const loadKey = async (
  name: string,
  configured: string | undefined,
  dir = DEV_KEYS_DIR,
): Promise<LoadedKey> => {
  if (configured) return { value: configured, generated: false };
  const file = join(dir, `${name}.key`);
  const existing = await readFile(file, 'utf8').catch(() => null);
  if (existing?.trim()) return { value: existing.trim(), generated: false, file };
  const value = randomBytes(32).toString('base64url');
  try {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
    await chmod(file, 0o600);
  } catch (error) {
    // Another process created it first: theirs stands.
    if ((error as { code?: string }).code === 'EEXIST')
      return { value: (await readFile(file, 'utf8')).trim(), generated: false, file };
    throw new Error(
      `cannot keep a generated ${name} key in ${file} (${(error as Error).message}): set it in the environment`,
    );
  }
  return { value, generated: true, file };
};

/**
 * Secrets the platform generates for itself and keeps in the database (the link secret when
 * LINK_SECRET is unset) are stored encrypted with AES-256-GCM under a key that is not in the
 * database, so a dump or a read-only SQL injection yields nothing usable.
 */
const PREFIX = 'aes256gcm:';

const keyBytes = (encryptionKey: string) =>
  createHash('sha256').update(`platform-secrets:${encryptionKey}`).digest();

export const encryptSecret = (plain: string, encryptionKey: string, name: string): string => {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyBytes(encryptionKey), iv);
  cipher.setAAD(Buffer.from(name));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${PREFIX}${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
};

export const decryptSecret = (stored: string, encryptionKey: string, name: string): string => {
  if (!stored.startsWith(PREFIX)) throw new Error(`secret ${name} is not encrypted`);
  const raw = Buffer.from(stored.slice(PREFIX.length), 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', keyBytes(encryptionKey), raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(name));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
};

/**
 * A server secret: from the environment in production; in development generated once and kept in
 * the database, encrypted, so links e-mailed before a restart still work after it. A value kept in
 * plaintext by an older version is encrypted in place the first time it is read.
 */
export const loadSecret = async (
  pool: SqlPool,
  name: string,
  configured: string | undefined,
  encryptionKey: string,
): Promise<string> => {
  if (configured) return configured;
  await pool.query(
    'INSERT INTO platform_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING',
    [name, encryptSecret(randomBytes(32).toString('base64url'), encryptionKey, name)],
  );
  const { rows } = await pool.query<{ value: string }>('SELECT value FROM platform_secrets WHERE name = $1', [
    name,
  ]);
  const stored = rows[0]!.value;
  if (stored.startsWith(PREFIX)) {
    try {
      return decryptSecret(stored, encryptionKey, name);
    } catch {
      throw new Error(
        `the stored ${name} cannot be decrypted: SECRETS_KEY differs from the one it was stored with`,
      );
    }
  }
  await pool.query('UPDATE platform_secrets SET value = $2 WHERE name = $1 AND value = $3', [
    name,
    encryptSecret(stored, encryptionKey, name),
    stored,
  ]);
  return stored;
};
