/**
 * Passwords are stored as scrypt hashes (`scrypt$N$r$p$salt$hash`, base64url); never reversible. The
 * cost parameters travel with each hash, so hashes made at an older cost still verify, and are made
 * again at today's cost on the next good sign-in (needsRehash).
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, createHash, type ScryptOptions } from 'node:crypto';

const scrypt = (pw: string, salt: Buffer, len: number, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(pw, salt, len, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );

/** N = 2^17 (OWASP's scrypt minimum); 128 × N × r = 128 MiB per hash. Releases up to 0.1 used 2^14. */
export const PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
const KEYLEN = 32;
// Room for today's cost and a little more; a stored N past it fails to verify rather than exhaust memory.
const MAXMEM = 256 * 1024 * 1024;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEYLEN, { ...PARAMS, maxmem: MAXMEM });
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, hash] = stored.split('$');
  if (alg !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  try {
    const key = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, {
      N: Number(n),
      r: Number(r),
      p: Number(p),
      maxmem: MAXMEM,
    });
    return key.length === expected.length && timingSafeEqual(key, expected);
  } catch {
    return false; // parameters scrypt refuses: not a hash we can check
  }
}

/** True when a stored hash was made at a lower cost than today's. */
export function needsRehash(stored: string): boolean {
  const [alg, n, r, p] = stored.split('$');
  return alg !== 'scrypt' || Number(n) < PARAMS.N || Number(r) < PARAMS.r || Number(p) < PARAMS.p;
}

let dummy: Promise<string> | null = null;
/** A hash of nothing, at today's cost: an unknown user name costs a sign-in as much as a known one. */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(newSecret());
  return dummy;
}

/** A random secret for cookies, tokens and setup links. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** What we store for a secret: its SHA-256 (a stolen database gives no usable cookie or token). */
export function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A password policy a person can meet: 8+ characters, not only one kind. */
export function passwordProblem(password: string): string | null {
  if (password.length < 8) return 'The password must have at least 8 characters.';
  if (password.length > 200) return 'The password is too long (200 characters at most).';
  if (/^(.)\1*$/.test(password)) return 'The password must not be one repeated character.';
  return null;
}
