import type { Api } from './api.js';
import type { CommandChannel } from './socket.js';
import { fail } from './result.js';

/**
 * Stop/delete go over the socket (acks) while it is connected, and over REST otherwise,
 * so a button still works during a reconnect. Subscriptions need the socket.
 */
export function createCommands(socket: CommandChannel, api: Api, isConnected: () => boolean): CommandChannel {
  return {
    stop: (id) => (isConnected() ? socket.stop(id) : api.stopJob(id)),
    remove: (id, force) => (isConnected() ? socket.remove(id, force) : api.deleteJob(id, force)),
    subscribe: (id) => (isConnected() ? socket.subscribe(id) : Promise.resolve(fail('NETWORK', ''))),
    unsubscribe: (id) => (isConnected() ? socket.unsubscribe(id) : Promise.resolve({ ok: true, data: { id } })),
  };
}
