import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '$contract/events.js';
import type { JobDto, LogLine } from '$contract/dto.js';
import { fail, type Result } from './result.js';

/** The one typed socket: event names and payloads come from the shared contract. */
export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Same origin in production; Vite proxies /socket.io in dev. Not connected until the session says
 * so (the handshake carries the session cookie and is refused without one).
 */
export function createSocket(): AppSocket {
  // Default transports: long-polling first, then upgrade, so it also works behind proxies without WebSocket.
  return io({ path: '/socket.io', autoConnect: false });
}

/**
 * How the pages send job commands: socket acks, or REST while reconnecting (commands.ts). Not the
 * server's JobCommands, which checks roles and writes the audit trail.
 */
export interface CommandChannel {
  stop(id: string): Promise<Result<JobDto>>;
  remove(id: string, force: boolean): Promise<Result<{ id: string }>>;
  subscribe(id: string): Promise<Result<{ job: JobDto; log: LogLine[] }>>;
  unsubscribe(id: string): Promise<Result<{ id: string }>>;
}

const TIMEOUT_MS = 10_000;

async function guard<T>(p: Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await p;
  } catch {
    // emitWithAck rejects only when the ack did not arrive in time.
    return fail('TIMEOUT', 'no answer from the server');
  }
}

export function socketCommands(socket: AppSocket): CommandChannel {
  const s = () => socket.timeout(TIMEOUT_MS);
  return {
    stop: (id) => guard(s().emitWithAck('job:stop', { id })),
    remove: (id, force) => guard(s().emitWithAck('job:delete', { id, force })),
    subscribe: (id) => guard(s().emitWithAck('job:subscribe', { id })),
    unsubscribe: (id) => guard(s().emitWithAck('job:unsubscribe', { id })),
  };
}
