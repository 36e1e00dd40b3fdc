import { describe, expect, it } from 'vitest';
import { href, isPublic, parseRoute, safeNext } from '../../../client/src/lib/route.js';

describe('hash routes', () => {
  it('parses and prints every page', () => {
    const routes = [
      { page: 'dashboard' },
      { page: 'history' },
      { page: 'overrides' },
      { page: 'job', id: 'abc_1' },
      { page: 'admin' },
      { page: 'account' },
      { page: 'signin', next: null },
      { page: 'signin', next: '#/jobs/abc' },
      { page: 'setup', token: 'tok-123' },
    ] as const;
    for (const r of routes) expect(parseRoute(href(r))).toEqual(r);
    expect(parseRoute('#/setup?token=a%2Bb')).toEqual({ page: 'setup', token: 'a+b' });
    expect(parseRoute('#/setup')).toEqual({ page: 'setup', token: '' });
    expect(parseRoute('#/nowhere')).toEqual({ page: 'dashboard' });
    expect(isPublic(parseRoute('#/signin'))).toBe(true);
    expect(isPublic(parseRoute('#/history'))).toBe(false);
  });

  it('only comes back to one of our own private pages after signing in', () => {
    expect(safeNext('#/history')).toBe('#/history');
    expect(safeNext('#/jobs/x1')).toBe('#/jobs/x1');
    expect(safeNext('https://evil.example/')).toBeNull();
    expect(safeNext('//evil.example')).toBeNull();
    expect(safeNext('#/signin?next=%23%2Fadmin')).toBeNull();
    expect(safeNext('#/setup?token=x')).toBeNull();
    expect(safeNext(null)).toBeNull();
    expect(parseRoute('#/signin?next=https%3A%2F%2Fevil.example')).toEqual({ page: 'signin', next: null });
  });
});
