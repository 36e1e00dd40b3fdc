/**
 * Where a request comes from, judged the same way for REST and the socket.io handshake.
 * - Host allow-list: a request whose Host is not one of ours is refused (DNS rebinding: a foreign name
 *   resolved to our address carries the attacker's Host).
 * - Origin: browsers say where a request comes from in Sec-Fetch-Site (or, older ones, in Origin). A
 *   request with neither is not from a browser page (curl, scripts, the test clients).
 */
import os from 'node:os';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * 'same': from our own page; 'cross': from another origin (another port or subdomain counts);
 * 'unknown': no browser said.
 */
export type OriginVerdict = 'same' | 'cross' | 'unknown';

/** Host names (no port), lower-cased; IPv6 without brackets. */
export type HostAllowList = ReadonlySet<string> | 'any';

const LOCAL_NAMES = ['localhost', '127.0.0.1', '::1'];

/** The host name of a Host header or URL host ("[::1]:8080" → "::1", "Example.com:80" → "example.com"). */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') < 0 ? undefined : h.indexOf(']'));
  const colon = h.indexOf(':');
  // More than one colon without brackets: a bare IPv6 address, no port.
  if (colon >= 0 && h.indexOf(':', colon + 1) < 0) return h.slice(0, colon);
  return h;
}

/**
 * ALLOWED_HOSTS: a comma-separated list of names, or `*` for any. Empty: the listen host and this
 * machine's local names; listening on every interface (0.0.0.0, ::) adds the machine's name and addresses.
 */
export function allowedHosts(setting: string | undefined, listenHost: string): HostAllowList {
  const list = (setting ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.includes('*')) return 'any';
  const names = new Set(list.map(hostName));
  if (list.length) return names;
  for (const n of LOCAL_NAMES) names.add(n);
  const listen = hostName(listenHost);
  if (listen === '0.0.0.0' || listen === '::') {
    names.add(os.hostname().toLowerCase());
    for (const addrs of Object.values(os.networkInterfaces()))
      for (const a of addrs ?? []) names.add(a.address.toLowerCase());
  } else {
    names.add(listen);
  }
  return names;
}

export function hostAllowed(host: string | undefined, allowed: HostAllowList): boolean {
  if (allowed === 'any') return true;
  if (!host) return false;
  return allowed.has(hostName(host));
}

/** Whether the request says it comes from our own page (same scheme, host and port). */
export function originVerdict(headers: IncomingHttpHeaders): OriginVerdict {
  const site = headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin' || site === 'none' ? 'same' : 'cross';
  const origin = headers.origin;
  if (typeof origin !== 'string') return 'unknown';
  try {
    return new URL(origin).host === headers.host ? 'same' : 'cross';
  } catch {
    return 'cross'; // "null" and other opaque origins
  }
}
