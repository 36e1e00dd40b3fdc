import { getContext, setContext } from 'svelte';
import { createApi, type Api } from './api.js';
import { Clock } from './clock.svelte.js';
import { createCommands } from './commands.js';
import { ConnectionStore } from './connection.svelte.js';
import { DashboardStore } from './dashboard.svelte.js';
import { HistoryStore } from './history.svelte.js';
import { I18n } from './i18n.svelte.js';
import { bindSocket, LiveBus } from './live.js';
import { Router } from './router.svelte.js';
import { createSocket, socketCommands, type AppSocket, type JobCommands } from './socket.js';

/** Everything the pages share, built once in main.ts (the client's composition root). */
export interface AppContext {
  socket: AppSocket;
  bus: LiveBus;
  api: Api;
  commands: JobCommands;
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
  const api = createApi();
  const commands = createCommands(socketCommands(socket), api, () => bus.connected);
  const i18n = new I18n(safeStorage('local'), navigator.languages);
  const clock = new Clock();
  clock.start();
  const dashboard = new DashboardStore(api, commands, bus, safeStorage('session'));
  dashboard.resume();
  return {
    socket,
    bus,
    api,
    commands,
    i18n,
    conn,
    clock,
    router: new Router(),
    history: new HistoryStore(api, commands, bus),
    dashboard,
  };
}

const KEY = Symbol('sparecast');

export const provideApp = (ctx: AppContext): AppContext => setContext(KEY, ctx);
export const useApp = (): AppContext => getContext<AppContext>(KEY);
