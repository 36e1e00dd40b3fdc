/**
 * The pages, addressed by a tiny hash router:
 * #/ , #/history , #/overrides , #/jobs/:id , #/admin , #/account , #/signin?next=… , #/setup?token=…
 */
export type Route =
  | { page: 'dashboard' }
  | { page: 'history' }
  | { page: 'overrides' }
  | { page: 'job'; id: string }
  | { page: 'admin' }
  | { page: 'account' }
  | { page: 'signin'; next: string | null }
  | { page: 'setup'; token: string };

/** Pages shown without a session (everything else needs one when auth is on). */
export const isPublic = (r: Route): boolean => r.page === 'signin' || r.page === 'setup';

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const q = raw.indexOf('?');
  const path = (q >= 0 ? raw.slice(0, q) : raw).replace(/\/+$/, '') || '/';
  const query = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
  if (path === '/' || path === '') return { page: 'dashboard' };
  if (path === '/history') return { page: 'history' };
  if (path === '/overrides') return { page: 'overrides' };
  if (path === '/admin') return { page: 'admin' };
  if (path === '/account') return { page: 'account' };
  if (path === '/signin') return { page: 'signin', next: safeNext(query.get('next')) };
  if (path === '/setup') return { page: 'setup', token: query.get('token') ?? '' };
  const m = /^\/jobs\/([A-Za-z0-9_-]{1,64})$/.exec(path);
  if (m) return { page: 'job', id: m[1]! };
  return { page: 'dashboard' };
}

/**
 * Where to return after signing in: only one of our own hash routes (never another site, never the
 * sign-in or setup page itself).
 */
export function safeNext(next: string | null | undefined): string | null {
  if (!next || !next.startsWith('#/') || next.length > 200) return null;
  const r = parseRoute(next);
  return isPublic(r) ? null : href(r);
}

export function href(route: Route): string {
  switch (route.page) {
    case 'dashboard':
      return '#/';
    case 'history':
      return '#/history';
    case 'overrides':
      return '#/overrides';
    case 'job':
      return `#/jobs/${encodeURIComponent(route.id)}`;
    case 'admin':
      return '#/admin';
    case 'account':
      return '#/account';
    case 'signin':
      return route.next ? `#/signin?${new URLSearchParams({ next: route.next })}` : '#/signin';
    case 'setup':
      return `#/setup?${new URLSearchParams({ token: route.token })}`;
  }
}
