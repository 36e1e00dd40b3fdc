import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { JobDto } from '../../../server/contract/dto.js';
import { bindSocket, LiveBus, type ConnectInfo } from '../../../client/src/lib/live.js';
import type { AppSocket } from '../../../client/src/lib/socket.js';
import { makeJob } from './fakes.js';

/** Just enough of a socket.io client socket: an emitter with `connected` and `recovered`. */
class FakeSocket extends EventEmitter {
  connected = false;
  recovered = false;
}

describe('LiveBus and bindSocket', () => {
  it('forwards pushes and tells first connects, recovered and unrecovered reconnects apart', () => {
    const sock = new FakeSocket();
    const bus = new LiveBus();
    const unbind = bindSocket(sock as unknown as AppSocket, bus);
    const connects: ConnectInfo[] = [];
    const created: JobDto[] = [];
    bus.on('connect', (i) => connects.push(i));
    const off = bus.on('job:created', (j) => created.push(j));

    sock.emit('connect');
    expect(bus.connected).toBe(true);
    sock.emit('disconnect', 'transport close');
    expect(bus.connected).toBe(false);
    sock.recovered = true;
    sock.emit('connect');
    sock.recovered = false;
    sock.emit('connect');
    expect(connects).toEqual([
      { recovered: false, first: true },
      { recovered: true, first: false },
      { recovered: false, first: false },
    ]);

    const j = makeJob();
    sock.emit('job:created', j);
    expect(created).toEqual([j]);
    off();
    sock.emit('job:created', makeJob());
    expect(created).toHaveLength(1);

    unbind();
    expect(sock.listenerCount('job:created')).toBe(0);
    expect(sock.listenerCount('connect')).toBe(0);
  });

  it('reports an already connected socket at bind time', () => {
    const sock = new FakeSocket();
    sock.connected = true;
    const bus = new LiveBus();
    const seen: ConnectInfo[] = [];
    bus.on('connect', (i) => seen.push(i));
    bindSocket(sock as unknown as AppSocket, bus);
    expect(bus.connected).toBe(true);
    expect(seen).toEqual([{ recovered: false, first: true }]);
  });
});
