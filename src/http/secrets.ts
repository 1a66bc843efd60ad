import { createHash, createHmac, hkdfSync, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * The few secrets the web interface makes: 256-bit random tokens (links, sessions) kept only as
 * SHA-256, and scrypt password hashes. From node:crypto, not hand-rolled primitives.
 */

/** 32 random bytes, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * A token that a given secret always derives for `occasion` and nobody can derive without it:
 * HMAC-SHA256 under a key of its own (HKDF from the secret, labelled by `purpose`, so the secret's
 * other use never meets it), URL-safe like newToken. What a retried email carries again.
 */
export function derivedToken(secret: Buffer, purpose: string, occasion: string): string {
  const key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `partnerflow/${purpose}`, 32));
  return createHmac('sha256', key).update(occasion).digest('base64url');
}

/** A random token has 256 bits of entropy, so a fast unsalted hash is enough to keep it. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

// OWASP's scrypt floor (N=2^17, r=8, p=1); 128 MiB per hash in flight.
const scryptParams = { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 } as const;

function scryptAsync(password: string, salt: Buffer, params: ScryptOptions & { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, 32, params, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** `scrypt$N$r$p$salt$hash`, parameters stored so they can grow later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, scryptParams);
  return ['scrypt', scryptParams.N, scryptParams.r, scryptParams.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scryptAsync(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: scryptParams.maxmem,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}
