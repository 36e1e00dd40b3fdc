import { describe, expect, it } from 'vitest';
import { allowedHosts, hostAllowed, hostName, originVerdict } from '../../../server/http/origin.js';

describe('host allow-list', () => {
  it('reads host names from Host headers', () => {
    expect(hostName('LocalHost:8080')).toBe('localhost');
    expect(hostName('[::1]:8080')).toBe('::1');
    expect(hostName('::1')).toBe('::1');
    expect(hostName('10.0.0.5')).toBe('10.0.0.5');
  });
  it('defaults to the listen host and the local names', () => {
    const a = allowedHosts(undefined, '127.0.0.1');
    expect(hostAllowed('127.0.0.1:8080', a)).toBe(true);
    expect(hostAllowed('localhost:3000', a)).toBe(true);
    expect(hostAllowed('[::1]:8080', a)).toBe(true);
    expect(hostAllowed('evil.example:8080', a)).toBe(false);
    expect(hostAllowed(undefined, a)).toBe(false);
  });
  it('takes an explicit list or *', () => {
    const a = allowedHosts('sparecast.example.com, planner.local', '0.0.0.0');
    expect(hostAllowed('Sparecast.Example.com', a)).toBe(true);
    expect(hostAllowed('localhost:8080', a)).toBe(false);
    expect(hostAllowed('anything', allowedHosts('*', '127.0.0.1'))).toBe(true);
  });
  it('adds the machine name when listening on every interface', () => {
    const a = allowedHosts('', '0.0.0.0');
    expect(hostAllowed('localhost', a)).toBe(true);
    expect(hostAllowed('rebind.attacker.example', a)).toBe(false);
  });
});

describe('origin verdict', () => {
  const host = '127.0.0.1:8080';
  it('trusts Sec-Fetch-Site first', () => {
    expect(originVerdict({ host, 'sec-fetch-site': 'same-origin' })).toBe('same');
    expect(originVerdict({ host, 'sec-fetch-site': 'none' })).toBe('same');
    expect(originVerdict({ host, 'sec-fetch-site': 'same-site', origin: 'http://127.0.0.1:8080' })).toBe('cross');
    expect(originVerdict({ host, 'sec-fetch-site': 'cross-site' })).toBe('cross');
  });
  it('compares Origin with Host: another port or subdomain is another origin', () => {
    expect(originVerdict({ host, origin: 'http://127.0.0.1:8080' })).toBe('same');
    expect(originVerdict({ host, origin: 'http://127.0.0.1:9999' })).toBe('cross');
    expect(originVerdict({ host: 'app.example.com', origin: 'https://evil.example.com' })).toBe('cross');
    expect(originVerdict({ host, origin: 'null' })).toBe('cross');
  });
  it('says unknown when no browser said anything', () => {
    expect(originVerdict({ host })).toBe('unknown');
  });
});
