/**
 * What the routes read off a request about who sent it, in one place for every route group.
 */
import type { Request } from 'express';
import { AppError } from '../contract/errors.js';
import type { Actor } from '../jobs/job.commands.js';

/** The client's address as express sees it ('trust proxy' decides), for the audit trail and setup. */
export function ipOf(req: Request): string | null {
  return req.ip ?? req.socket.remoteAddress ?? null;
}

/** The signed-in person and their address; routes behind requireRole always have a user. */
export function actorOf(req: Request): Actor {
  if (!req.user) throw new AppError(401, 'UNAUTHORIZED', 'Please sign in.');
  return { user: req.user, ip: ipOf(req) };
}
