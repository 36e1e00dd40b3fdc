import { describe, expect, it } from 'vitest';
import { Lockout } from '../../../server/auth/lockout.js';

describe('Lockout', () => {
  it('locks a (name, address) pair after the threshold, and each further lock lasts twice as long', () => {
    const l = new Lockout({ threshold: 3, lockMs: 1000 });
    let t = 0;
    expect(l.fail('ann', '10.0.0.1', t)).toBeNull();
    expect(l.fail('ann', '10.0.0.1', t)).toBeNull();
    expect(l.fail('ann', '10.0.0.1', t)).toBe(1000);
    expect(l.lockedUntil('ann', '10.0.0.1', 999)).toBe(1000);
    expect(l.lockedUntil('ann', '10.0.0.2', 999)).toBeNull(); // another address is not locked
    expect(l.lockedUntil('ann', '10.0.0.1', 1000)).toBeNull();
    t = 1000;
    for (let i = 0; i < 2; i++) l.fail('ann', '10.0.0.1', t);
    expect(l.fail('ann', '10.0.0.1', t)).toBe(t + 2000);
    t = 3000;
    for (let i = 0; i < 2; i++) l.fail('ann', '10.0.0.1', t);
    expect(l.fail('ann', '10.0.0.1', t)).toBe(t + 4000);
    // Bounded: never more than 64× the first lock.
    for (let k = 0; k < 10; k++) for (let i = 0; i < 3; i++) l.fail('ann', '10.0.0.1', 1e9);
    expect(l.lockedUntil('ann', '10.0.0.1', 1e9)).toBe(1e9 + 64_000);
  });

  it('a good sign-in clears its pair, a reset clears every address of the name', () => {
    const l = new Lockout({ threshold: 1, lockMs: 1000 });
    l.fail('ann', 'a', 0);
    l.fail('ann', 'b', 0);
    l.fail('bob', 'a', 0);
    l.clear('ann', 'a');
    expect(l.lockedUntil('ann', 'a', 1)).toBeNull();
    expect(l.lockedUntil('ann', 'b', 1)).toBe(1000);
    l.clearUser('ann');
    expect(l.lockedUntil('ann', 'b', 1)).toBeNull();
    expect(l.lockedUntil('bob', 'a', 1)).toBe(1000);
  });

  it('remembers a bounded number of pairs', () => {
    const l = new Lockout({ threshold: 5, lockMs: 1000, maxPairs: 100 });
    for (let i = 0; i < 1000; i++) l.fail(`u${i}`, 'a', 0);
    l.fail('last', 'a', 0);
    expect((l as unknown as { pairs: Map<string, unknown> }).pairs.size).toBe(100);
  });
});
