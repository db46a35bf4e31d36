import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

export const MIN_PASSWORD_LENGTH = 12;

/** Scrypt cost: N=2^15, r=8, p=1 needs 32 MiB, just past Node's default memory cap, hence maxmem. */
const COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 64;
const MAX_MEMORY = 128 * 1024 * 1024;

const derive = (password: string, salt: Buffer, options: ScryptOptions, keyLength: number) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, keyLength, { ...options, maxmem: MAX_MEMORY }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );

/** `scrypt$N$r$p$salt$hash` (base64): the parameters travel with the hash so the cost can rise later. */
export const hashPassword = async (password: string): Promise<string> => {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, COST, KEY_BYTES);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join('$');
};

const parse = (stored: string) => {
  const [scheme, n, r, p, salt, hash, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || rest.length > 0 || !salt || !hash) return null;
  const N = Number(n);
  const cost = { N, r: Number(r), p: Number(p) };
  // Bounds keep a corrupt row from asking for gigabytes of memory.
  const sane =
    Number.isInteger(N) && N >= 2 ** 10 && N <= 2 ** 20 && (N & (N - 1)) === 0 && cost.r >= 1 && cost.r <= 32;
  if (!sane || !Number.isInteger(cost.p) || cost.p < 1 || cost.p > 16) return null;
  return { cost, salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
};

/** Constant-time comparison, so response time does not reveal how much of a guess matched. */
export const verifyPassword = async (password: string, stored: string): Promise<boolean> => {
  const parsed = parse(stored);
  if (!parsed || parsed.hash.length === 0) return false;
  const key = await derive(password, parsed.salt, parsed.cost, parsed.hash.length);
  return timingSafeEqual(key, parsed.hash);
};

let decoy: Promise<string> | undefined;

/**
 * Sign-in with an unknown email still spends one scrypt on this throwaway hash, so timing does not
 * tell an attacker which addresses have accounts.
 */
export const decoyHash = (): Promise<string> => {
  decoy ??= hashPassword(randomBytes(32).toString('base64'));
  return decoy;
};

/** 144 random bits, printable: for first-start accounts whose password the operator is shown once. */
export const generatePassword = (): string => randomBytes(18).toString('base64url');
