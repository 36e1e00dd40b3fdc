import type { ErrorCode } from '$contract/errors.js';

/** Failures only the client can see: the request never reached the server, or no ack came in time. */
export type LocalErrorCode = 'NETWORK' | 'TIMEOUT';

/** An error as the pages handle it: the server's closed set of codes plus the client's own two. */
export interface ClientError {
  code: ErrorCode | LocalErrorCode;
  message: string;
}

/** REST answers use the same value shape as socket acks: expected failures are values, not throws. */
export type Result<T> = { ok: true; data: T } | { ok: false; error: ClientError };

export const ok = <T>(data: T): Result<T> => ({ ok: true, data });
export const fail = (code: ClientError['code'], message = ''): { ok: false; error: ClientError } => ({
  ok: false,
  error: { code, message },
});
