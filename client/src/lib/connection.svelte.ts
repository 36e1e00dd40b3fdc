/// <reference types="svelte" />
import type { LiveBus } from './live.js';

export type ConnState = 'connecting' | 'connected' | 'disconnected';

/** The header's connection indicator; also remembers when the pages last resynced from REST. */
export class ConnectionStore {
  state = $state<ConnState>('connecting');
  resyncedAt = $state<number | null>(null);
  everConnected = $state(false);

  constructor(bus: LiveBus, now: () => number = Date.now) {
    bus.on('connect', ({ recovered, first }) => {
      this.state = 'connected';
      this.everConnected = true;
      if (!first && !recovered) this.resyncedAt = now();
    });
    bus.on('disconnect', () => {
      this.state = 'disconnected';
    });
  }
}
