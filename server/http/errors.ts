import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { ZodError } from 'zod';
import { AppError, type ErrorCode } from '../contract/errors.js';
import { storageProblem } from '../storage/errors.js';
import { describeZodError } from '../contract/schemas.js';
import type { Logger } from '../logger.js';

/** Disk full or unwritable storage as a 507 a user can act on. */
export function storageError(err: unknown): AppError | null {
  const problem = storageProblem(err);
  if (problem === 'full')
    return new AppError(
      507,
      'DISK_FULL',
      'The server disk is full: nothing was saved. Ask an administrator to free some space.',
    );
  if (problem === 'unwritable')
    return new AppError(
      507,
      'STORAGE_UNWRITABLE',
      'The server cannot write to its storage folder: nothing was saved. Ask an administrator to check it.',
    );
  return null;
}

function sendError(res: Response, status: number, code: ErrorCode, message: string): void {
  res.status(status).json({ error: { code, message } });
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendError(res, 404, 'NOT_FOUND', `No route for ${req.method} ${req.path}`);
};

/** Registered last. Expected errors keep their message; unexpected ones are logged, never leaked. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return void res.destroy();
    if (err instanceof AppError) return sendError(res, err.status, err.code, err.message);
    if (err instanceof ZodError) return sendError(res, 400, 'VALIDATION_ERROR', describeZodError(err));
    const e = err as { type?: string; status?: number; code?: string };
    const storage = storageError(err);
    if (storage) return sendError(res, storage.status, storage.code, storage.message);
    if (e?.type === 'entity.parse.failed')
      return sendError(res, 400, 'BAD_REQUEST', 'The request body is not valid JSON.');
    if (e?.type === 'entity.too.large') return sendError(res, 413, 'FILE_TOO_LARGE', 'The request body is too large.');
    logger.error({ err, method: req.method, url: req.originalUrl }, 'unexpected error');
    sendError(res, 500, 'INTERNAL', 'Something went wrong on the server. The error was logged.');
  };
}
