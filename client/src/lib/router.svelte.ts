/// <reference types="svelte" />
import { href, parseRoute, type Route } from './route.js';

/** Hash router: #/ , #/history , #/jobs/:id. */
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
}
