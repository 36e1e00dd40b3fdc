/**
 * Signed-in HTTP and socket.io clients for AUTH=on tests.
 */
import { io as connect } from 'socket.io-client';
import type { Client } from './server.js';

export interface Session {
  url: string;
  cookie: string;
  /** fetch with the session cookie and this origin (as a browser on the page would send). */
  fetch(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  json<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** A socket.io client with the session cookie and this origin (as the page's own socket sends). */
  socket(headers?: Record<string, string>): Promise<Client>;
}

export function sessionFrom(url: string, setCookie: string | null): Session {
  const cookie = (setCookie ?? '').split(';')[0];
  const s: Session = {
    url,
    cookie,
    fetch(path, init = {}) {
      const headers = new Headers(init.headers);
      if (cookie) headers.set('cookie', cookie);
      if (!headers.has('origin')) headers.set('origin', url);
      let body = init.body;
      if (init.json !== undefined) {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(init.json);
      }
      return fetch(`${url}${path}`, { ...init, headers, body });
    },
    async json<T>(method: string, path: string, body?: unknown) {
      const res = await s.fetch(path, { method, json: body });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
    },
    socket(headers = {}) {
      const c: Client = connect(url, {
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
        extraHeaders: { cookie, origin: url, ...headers },
      });
      return new Promise((resolve, reject) => {
        c.once('connect', () => resolve(c));
        c.once('connect_error', (e) => reject(e));
      });
    },
  };
  return s;
}

export async function signIn(url: string, username: string, password: string): Promise<Session> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return sessionFrom(url, res.headers.get('set-cookie'));
}

export async function setupAdmin(
  url: string,
  setupUrl: string,
  username = 'admin',
  password = 'admin-pass-1',
): Promise<Session> {
  const token = new URL(setupUrl.replace('/#/', '/')).searchParams.get('token');
  const res = await fetch(`${url}/api/auth/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ token, username, password }),
  });
  if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${await res.text()}`);
  return sessionFrom(url, res.headers.get('set-cookie'));
}
