/**
 * IPC messages between a bench and its client fleet (fleet.ts); their own file so that lib.ts, which forks
 * the fleet, and fleet.ts, which uses lib.ts's client helpers, do not import each other.
 */
export type ToFleet = { type: 'subscribe'; id: string } | { type: 'arm' } | { type: 'stats' } | { type: 'close' };
export type FromFleet =
  | { type: 'ready'; connectMs: number; fdLimit: number }
  | { type: 'subscribed' }
  | { type: 'armed' }
  | { type: 'all'; spreadMs: number }
  | { type: 'stats'; progress: number[]; updated: number[] }
  | { type: 'error'; message: string };
