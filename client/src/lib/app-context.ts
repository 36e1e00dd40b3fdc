import { getContext, setContext } from 'svelte';
import { createAccountApi, createApi, type AccountApi, type Api, type ApiOptions } from './api.js';
import { startDownload } from './download-link.js';
import { AuthStore } from './auth.svelte.js';
import { Clock } from './clock.svelte.js';
import { createCommands } from './commands.js';
import { ConnectionStore } from './connection.svelte.js';
import { DashboardStore } from './dashboard.svelte.js';
import { HistoryStore } from './history.svelte.js';
import { createInventoryApi, type InventoryApi } from './inventory-api.js';
import { createOverridesApi, type OverridesApi } from './overrides-api.js';
import { createReplanApi, type ReplanApi } from './replan.svelte.js';
import { createTrackingApi, type TrackingApi } from './tracking-api.js';
import { I18n } from './i18n.svelte.js';
import { bindSocket, LiveBus } from './live.js';
import { Router } from './router.svelte.js';
import { Session } from './session.js';
import { createSocket, socketCommands, type AppSocket, type CommandChannel } from './socket.js';

/** Everything the pages share, built once in main.ts (the client's composition root). */
export interface AppContext {
  socket: AppSocket;
  bus: LiveBus;
  api: Api;
  /** The Inventory view's calls (GET /api/jobs/:id/inventory…). */
  inventory: InventoryApi;
  /** POST /api/jobs/:id/inventory/plan (the Inventory view's re-plan). */
  replan: ReplanApi;
  /** The Actuals view's calls (…/actuals, …/tracking). */
  tracking: TrackingApi;
  /** The planners' overrides (/api/overrides…). */
  overrides: OverridesApi;
  account: AccountApi;
  auth: AuthStore;
  session: Session;
  commands: CommandChannel;
  i18n: I18n;
  conn: ConnectionStore;
  clock: Clock;
  router: Router;
  history: HistoryStore;
  dashboard: DashboardStore;
}

function safeStorage(kind: 'local' | 'session') {
  try {
    const s = kind === 'local' ? window.localStorage : window.sessionStorage;
    s.getItem('x');
    return s;
  } catch {
    return undefined; // private mode or blocked storage: the app still works, it just forgets
  }
}

export function createAppContext(): AppContext {
  const bus = new LiveBus();
  const conn = new ConnectionStore(bus);
  const socket = createSocket();
  bindSocket(socket, bus);
  const router = new Router();
  // Filled in once `session` exists; the API only calls back after a request, long after this returns.
  const hooks: ApiOptions = { save: startDownload };
  const api = createApi('', hooks);
  const account = createAccountApi('', hooks);
  const inventory = createInventoryApi('', hooks);
  const replan = createReplanApi('', hooks);
  const tracking = createTrackingApi('', hooks);
  const overrides = createOverridesApi('', hooks);
  const auth = new AuthStore(account);
  const session = new Session(
    auth,
    { connect: () => socket.connect(), disconnect: () => socket.disconnect() },
    {
      toSignIn: (remember) => (remember ? router.toSignIn() : router.go({ page: 'signin', next: null })),
    },
  );
  hooks.onUnauthorized = () => session.unauthorized();
  socket.on('connect_error', (err) => session.connectError(err));
  socket.on('disconnect', (reason) => void session.disconnected(reason));
  const commands = createCommands(socketCommands(socket), api, () => bus.connected);
  const i18n = new I18n(safeStorage('local'), navigator.languages);
  const clock = new Clock();
  clock.start();
  const dashboard = new DashboardStore(api, commands, bus, safeStorage('session'), safeStorage('local'));
  // Resume the job this tab was following only once someone may see it; the form starts from their settings.
  session.onSignedIn(() => {
    dashboard.signedIn(auth.user?.username ?? '');
    dashboard.resume();
  });
  void session.start();
  return {
    socket,
    bus,
    api,
    inventory,
    replan,
    tracking,
    overrides,
    account,
    auth,
    session,
    commands,
    i18n,
    conn,
    clock,
    router,
    history: new HistoryStore(api, commands, bus, { mayDelete: (job) => auth.can.deleteJob(job) }),
    dashboard,
  };
}

const KEY = Symbol('sparecast');

export const provideApp = (ctx: AppContext): AppContext => setContext(KEY, ctx);
export const useApp = (): AppContext => getContext<AppContext>(KEY);
