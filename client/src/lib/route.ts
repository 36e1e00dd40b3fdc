/** The three pages, addressed by a tiny hash router: #/ , #/history , #/jobs/:id */
export type Route = { page: 'dashboard' } | { page: 'history' } | { page: 'job'; id: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\/+$/, '') || '/';
  if (path === '/' || path === '') return { page: 'dashboard' };
  if (path === '/history') return { page: 'history' };
  const m = /^\/jobs\/([A-Za-z0-9_-]{1,64})$/.exec(path);
  if (m) return { page: 'job', id: m[1]! };
  return { page: 'dashboard' };
}

export function href(route: Route): string {
  switch (route.page) {
    case 'dashboard':
      return '#/';
    case 'history':
      return '#/history';
    case 'job':
      return `#/jobs/${encodeURIComponent(route.id)}`;
  }
}
