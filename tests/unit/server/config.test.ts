import { describe, expect, it } from 'vitest';
import { loadConfig, parseDuration } from '../../../server/config.js';

describe('duration settings', () => {
  it('reads a plain number as milliseconds and a number with a unit as that unit', () => {
    expect(parseDuration('300')).toBe(300);
    expect(parseDuration('300ms')).toBe(300);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration(' 3m ')).toBe(180_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('1D')).toBe(86_400_000);
    expect(parseDuration('0')).toBe(0);
    for (const bad of ['', 'm', '-1s', '3 minutes', '1w', '1e3']) expect(parseDuration(bad), bad).toBeNull();
  });

  it('accepts both forms for every duration setting, in ms after loading', () => {
    const units = loadConfig({ STOP_GRACE_MS: '0.2s', STALL_AFTER: '180000', SHUTDOWN_TIMEOUT_MS: '5s' });
    expect(units.STOP_GRACE_MS).toBe(200);
    expect(units.STALL_AFTER).toBe(180_000);
    expect(units.SHUTDOWN_TIMEOUT_MS).toBe(5000);
    const defaults = loadConfig({});
    expect(defaults.STOP_GRACE_MS).toBe(300);
    expect(defaults.PROGRESS_INTERVAL_MS).toBe(150);
    expect(defaults.UPDATE_INTERVAL_MS).toBe(1000);
    expect(defaults.STALL_AFTER).toBe(180_000);
    expect(defaults.SESSION_TTL).toBe(12 * 3_600_000);
    expect(loadConfig({ PROGRESS_INTERVAL_MS: '250' }).PROGRESS_INTERVAL_MS).toBe(250);
  });

  it('names the variable and the allowed range when a duration is out of bounds or unreadable', () => {
    expect(() => loadConfig({ STOP_GRACE_MS: '2s' })).toThrow(/STOP_GRACE_MS: "2s" is out of range \(0ms to 1s\)/);
    const tooShort = /UPDATE_INTERVAL_MS: "10" is out of range \(50ms to 1m\)/;
    expect(() => loadConfig({ UPDATE_INTERVAL_MS: '10' })).toThrow(tooShort);
    expect(() => loadConfig({ JOB_TIMEOUT: 'soon' })).toThrow(/JOB_TIMEOUT: "soon" is not a duration/);
  });
});

describe('TRUST_PROXY', () => {
  it('refuses trusting every hop, naming the variable and what to give instead', () => {
    for (const v of ['on', 'true', 'TRUE', 'yes', ' On ', 'loopback, 0.0.0.0/0', '::/0'])
      expect(() => loadConfig({ TRUST_PROXY: v }), v).toThrow(
        /TRUST_PROXY: .*would trust every hop.*number of proxies in front \(e\.g\. 1\) or their addresses/,
      );
  });

  it("takes off, a hop count or the proxies' addresses", () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    for (const v of ['off', 'false', 'no', '0']) expect(loadConfig({ TRUST_PROXY: v }).TRUST_PROXY, v).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback' }).TRUST_PROXY).toBe('loopback');
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.1, 10.0.0.2 ' }).TRUST_PROXY).toBe('10.0.0.1, 10.0.0.2');
  });
});
