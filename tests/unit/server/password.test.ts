import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, PARAMS, verifyPassword } from '../../../server/auth/password.js';

// Made by release 0.1 (N = 2^14), as in tests/fixtures/storage/v0.1.0.
const OLD = 'scrypt$16384$8$1$atsvuMopURhj77IKJ_5bMA$HVlVyiVe-D-3rrze651cgczXsUjWmWoacsjhbsAh7FQ';

describe('password hashes', () => {
  it('are made at N = 2^17 and carry their parameters', async () => {
    const h = await hashPassword('a-good-password');
    expect(h.startsWith(`scrypt$${2 ** 17}$8$1$`)).toBe(true);
    expect(PARAMS.N).toBe(131072);
    expect(await verifyPassword('a-good-password', h)).toBe(true);
    expect(await verifyPassword('a-bad-password', h)).toBe(false);
    expect(needsRehash(h)).toBe(false);
  });

  it('an old hash still verifies and asks to be made again', async () => {
    expect(await verifyPassword('admin-pass-1', OLD)).toBe(true);
    expect(await verifyPassword('admin-pass-2', OLD)).toBe(false);
    expect(needsRehash(OLD)).toBe(true);
  });

  it('a hash with parameters scrypt refuses does not verify (no throw)', async () => {
    expect(await verifyPassword('x', 'scrypt$3$8$1$AAAA$AAAA')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$4194304$8$1$AAAA$AAAA')).toBe(false);
  });
});
