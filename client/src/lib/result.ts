import type { Ack } from '../../../server/contract/events.js';
import type { ApiErrorBody } from '../../../server/contract/errors.js';

/** REST answers use the same value shape as socket acks: expected failures are values, not throws. */
export type Result<T> = Ack<T>;

export const ok = <T>(data: T): Result<T> => ({ ok: true, data });
export const fail = (code: string, message = ''): { ok: false; error: ApiErrorBody } => ({
  ok: false,
  error: { code, message },
});
