/// <reference types="svelte" />
import { href, isPublic, parseRoute, type Route } from './route.js';

/** Hash router: #/ , #/history , #/overrides , #/jobs/:id , #/admin , #/account , #/signin , #/setup. */
export class Router {
  route = $state<Route>(parseRoute(location.hash));

  constructor() {
    window.addEventListener('hashchange', () => {
      this.route = parseRoute(location.hash);
    });
  }

  go(route: Route): void {
    location.hash = href(route);
  }

  /** Sends the user to the sign-in page, remembering where to come back to. */
  toSignIn(): void {
    // location.hash, not this.route: a navigation just asked for may not have fired hashchange yet.
    const current = parseRoute(location.hash);
    if (current.page === 'signin') return;
    this.go({ page: 'signin', next: isPublic(current) ? null : href(current) });
  }

  /** After signing in: back where the user was sent away from, else the dashboard. */
  back(next: string | null): void {
    location.hash = next ?? href({ page: 'dashboard' });
  }
}
