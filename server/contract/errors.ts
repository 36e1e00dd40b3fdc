/**
 * The closed set of error codes a client may receive, over REST (`{ error: { code, message } }`)
 * or in a socket ack. Clients translate by code; messages are already readable English.
 */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'VALIDATION_ERROR',
  'INVALID_CONFIG',
  'NO_FILE',
  'UNSUPPORTED_FILE',
  'DAMAGED_FILE',
  'EMPTY_FILE',
  'MISSING_COLUMNS',
  'BAD_ENCODING',
  'BAD_DATES',
  'NO_VALID_ROWS',
  'UNKNOWN_SITES',
  'START_DATE_OUT_OF_RANGE',
  'UNKNOWN_METHOD',
  'NO_COSTS',
  'NO_ACTUALS_AFTER_ORIGIN',
  'ACTUALS_NO_COMMON_SERIES',
  'SUPERSESSION_CYCLE',
  'SUPERSESSION_TOO_LONG',
  'TRACKING_BUSY',
  'INVALID_INPUT',
  'FILE_TOO_LARGE',
  'JOB_NOT_FOUND',
  'JOB_NOT_FINISHED',
  'JOB_FINISHED',
  'JOB_NOT_COMPLETED',
  'OUTPUT_MISSING',
  'REPLAN_BUSY',
  'REPLAN_UNAVAILABLE',
  'SERIES_UNAVAILABLE',
  'NOT_FOUND',
  'SHUTTING_DOWN',
  'DISK_FULL',
  'STORAGE_UNWRITABLE',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'CSRF',
  'HOST_NOT_ALLOWED',
  'BAD_CREDENTIALS',
  'ACCOUNT_LOCKED',
  'RATE_LIMITED',
  'QUEUE_FULL',
  'SETUP_CLOSED',
  'WEAK_PASSWORD',
  'USER_EXISTS',
  'USER_NOT_FOUND',
  'LAST_ADMIN',
  'TOKEN_NOT_FOUND',
  'OVERRIDE_REASON',
  'OVERRIDE_VALUE',
  'OVERRIDE_NOT_FOUND',
  'OVERRIDES_FILE_INVALID',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** True for a code of the closed set (e.g. one a worker sent as a plain string). */
export function isErrorCode(code: string): code is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code);
}

export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
}

/** An expected failure with an HTTP status; unexpected errors become INTERNAL without their message. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
