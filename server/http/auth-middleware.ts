/**
 * Who is asking: a session cookie (browsers) or a Bearer token (scripts, the CLI). With AUTH=off
 * everyone is a local admin. State changes must not come from another origin; a foreign Host is refused.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { parseCookie } from 'cookie';
import { roleAtLeast, type Role } from '../contract/auth.js';
import { AppError } from '../contract/errors.js';
import { hostAllowed, originVerdict, type HostAllowList } from './origin.js';
import type { AuthService, Principal } from '../auth/auth.service.js';

export const SESSION_COOKIE = 'sparecast_session';
export const LOCAL_ADMIN: Principal = Object.freeze({ id: 'local', username: 'local', role: 'admin' as Role });

declare module 'express-serve-static-core' {
  interface Request {
    user?: Principal;
    /** How the user was authenticated. */
    via?: 'cookie' | 'token' | 'off';
  }
}

export function cookieValue(header: string | undefined): string | undefined {
  return header ? parseCookie(header)[SESSION_COOKIE] : undefined;
}

export function bearer(header: string | undefined): string | undefined {
  const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return m?.[1];
}

/** Finds the principal (if any) for every /api request; never rejects by itself. */
export function identify(auth: AuthService | null): RequestHandler {
  return async (req, _res, next) => {
    if (!auth) {
      req.user = LOCAL_ADMIN;
      req.via = 'off';
      return next();
    }
    const token = bearer(req.headers.authorization);
    if (token) {
      const p = await auth.fromToken(token);
      if (!p) return next(new AppError(401, 'UNAUTHORIZED', 'This API token is not valid (revoked or unknown).'));
      req.user = p;
      req.via = 'token';
      return next();
    }
    const p = await auth.fromCookie(cookieValue(req.headers.cookie));
    if (p) {
      req.user = p;
      req.via = 'cookie';
    }
    next();
  };
}

/** The request must be signed in with at least `role`. */
export function requireRole(role: Role): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!req.user) return next(new AppError(401, 'UNAUTHORIZED', 'Please sign in.'));
    if (!roleAtLeast(req.user.role, role))
      return next(
        new AppError(
          403,
          'FORBIDDEN',
          `This needs the ${role} role; you are signed in as ${req.user.username} (${req.user.role}).`,
        ),
      );
    next();
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request protection, for every sign-in mode (AUTH=off too: its single user still browses
 * the web): a state change a browser says comes from another origin is refused, and a cookie-signed one
 * must say it comes from ours. Requests no browser made (curl, scripts, tokens) say nothing and pass,
 * unless they lean on a cookie. The cookie is also SameSite=Strict; this is the second lock.
 */
export const sameOriginOnly: RequestHandler = (req, _res, next) => {
  if (SAFE_METHODS.has(req.method)) return next();
  const verdict = originVerdict(req.headers);
  if (verdict === 'cross' || (verdict === 'unknown' && req.via === 'cookie')) return next(forged());
  next();
};

/** DNS rebinding: a page on a foreign name resolved to our address sends that name as Host. */
export function allowedHostOnly(allowed: HostAllowList): RequestHandler {
  return (req, _res, next) => (hostAllowed(req.headers.host, allowed) ? next() : next(foreignHost(req.headers.host)));
}

export function forged(): AppError {
  return new AppError(403, 'CSRF', 'This request did not come from the Sparecast page itself, so it was refused.');
}

function foreignHost(host: string | undefined): AppError {
  const name = JSON.stringify(String(host ?? '').slice(0, 100));
  return new AppError(
    403,
    'HOST_NOT_ALLOWED',
    `This server does not answer to the host name ${name}; an administrator can add it to ALLOWED_HOSTS.`,
  );
}
