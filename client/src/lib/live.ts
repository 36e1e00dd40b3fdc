import type { ServerToClientEvents } from '$contract/events.js';
import type { AppSocket } from './socket.js';

/** What happened on (re)connect: `recovered` means socket.io replayed every missed event and kept our rooms. */
export interface ConnectInfo {
  recovered: boolean;
  first: boolean;
}

/** Server pushes plus connection changes, as the stores see them. */
export interface LiveEvents extends ServerToClientEvents {
  connect: (info: ConnectInfo) => void;
  disconnect: (reason: string) => void;
}
type EventName = keyof LiveEvents;

/**
 * A tiny typed event hub between the socket and the stores. Stores never touch the socket's
 * listeners directly, so tests can drive them with `emit` and no network.
 */
export class LiveBus {
  private readonly handlers = new Map<EventName, Set<unknown>>();
  connected = false;

  on<E extends EventName>(event: E, fn: LiveEvents[E]): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  emit<E extends EventName>(event: E, ...args: Parameters<LiveEvents[E]>): void {
    if (event === 'connect') this.connected = true;
    if (event === 'disconnect') this.connected = false;
    for (const fn of [...(this.handlers.get(event) ?? [])]) {
      (fn as (...a: Parameters<LiveEvents[E]>) => void)(...args);
    }
  }
}

/** Forwards a socket's pushes and connection changes to the bus. Returns an unbind function. */
export function bindSocket(socket: AppSocket, bus: LiveBus): () => void {
  let first = true;
  const onConnect = () => {
    bus.emit('connect', { recovered: socket.recovered, first });
    first = false;
  };
  const onDisconnect = (reason: string) => bus.emit('disconnect', reason);
  const onCreated: ServerToClientEvents['job:created'] = (job) => bus.emit('job:created', job);
  const onUpdated: ServerToClientEvents['job:updated'] = (job) => bus.emit('job:updated', job);
  const onDeleted: ServerToClientEvents['job:deleted'] = (p) => bus.emit('job:deleted', p);
  const onProgress: ServerToClientEvents['job:progress'] = (p) => bus.emit('job:progress', p);
  const onLog: ServerToClientEvents['job:log'] = (p) => bus.emit('job:log', p);
  const onReplanned: ServerToClientEvents['job:replanned'] = (p) => bus.emit('job:replanned', p);
  socket.on('connect', onConnect);
  socket.on('disconnect', onDisconnect);
  socket.on('job:created', onCreated);
  socket.on('job:updated', onUpdated);
  socket.on('job:deleted', onDeleted);
  socket.on('job:progress', onProgress);
  socket.on('job:log', onLog);
  socket.on('job:replanned', onReplanned);
  if (socket.connected) onConnect();
  return () => {
    socket.off('connect', onConnect);
    socket.off('disconnect', onDisconnect);
    socket.off('job:created', onCreated);
    socket.off('job:updated', onUpdated);
    socket.off('job:deleted', onDeleted);
    socket.off('job:progress', onProgress);
    socket.off('job:log', onLog);
    socket.off('job:replanned', onReplanned);
  };
}
