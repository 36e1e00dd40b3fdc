/**
 * /api/auth (sign-in, sign-out, first-admin setup, who am I), /api/users (admin), /api/tokens (own),
 * /api/audit and /api/audit.csv (admin).
 */
import { Router, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { ROLES, type MeDto } from '../contract/auth.js';
import { AppError } from '../contract/errors.js';
import { describeZodError } from '../contract/schemas.js';
import { viaOf, type AuthService } from '../auth/auth.service.js';
import { isLoopback } from '../config.js';
import { cookieValue, requireRole, SESSION_COOKIE } from './auth-middleware.js';
import { ipOf } from './request.js';
import { sendAuditCsv } from './audit-csv.js';
import { cleanDisplayName } from '../storage/paths.js';

const credentials = z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(200) });
const newUser = credentials.extend({ role: z.enum(ROLES) });
const userPatch = z.object({ role: z.enum(ROLES).optional(), password: z.string().min(1).max(200).optional() });
const auditQuery = z.object({
  user: z.string().max(64).optional(),
  action: z.string().max(40).optional(),
  job: z.string().max(32).optional(),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(200).default(50),
});

function body<T extends z.ZodType>(schema: T, req: Request): z.infer<T> {
  const r = schema.safeParse(req.body ?? {});
  if (!r.success) throw new AppError(400, 'VALIDATION_ERROR', describeZodError(r.error));
  return r.data;
}

export function authRoutes(auth: AuthService | null, opts: { loginPerMinute: number }): Router {
  const r = Router({ caseSensitive: true });

  r.get('/auth/me', async (req, res) => {
    const me: MeDto = {
      auth: auth ? 'on' : 'off',
      user: req.user ? { id: req.user.id, username: req.user.username, role: req.user.role } : null,
      setup_required: auth ? (await auth.userCount()) === 0 : false,
    };
    res.json(me);
  });
  if (!auth) return r;

  const limiter = rateLimit({
    windowMs: 60_000,
    limit: opts.loginPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) =>
      next(new AppError(429, 'RATE_LIMITED', 'Too many sign-in attempts from this address; wait a minute.')),
  });

  const signIn = async (req: Request, res: Response, username: string, password: string) => {
    const { user, cookie, expiresAt } = await auth.login(username, password, ipOf(req));
    res.cookie(SESSION_COOKIE, cookie, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: '/',
      expires: expiresAt,
    });
    await auth.audit({
      user_id: user.id,
      username: user.username,
      action: 'auth.login',
      job_id: null,
      detail: null,
      ip: ipOf(req),
    });
    return user;
  };

  r.post('/auth/login', limiter, async (req, res) => {
    const { username, password } = body(credentials, req);
    try {
      res.json({ user: await signIn(req, res, username, password) });
    } catch (err) {
      if (err instanceof AppError)
        await auth.audit({
          user_id: null,
          // Whatever was typed, shown on the audit page: without characters that reorder the text.
          username: cleanDisplayName(username).slice(0, 64),
          action: 'auth.login_failed',
          job_id: null,
          detail: err.code,
          ip: ipOf(req),
        });
      throw err;
    }
  });

  r.post('/auth/logout', async (req, res) => {
    const cookie = cookieValue(req.headers.cookie);
    if (cookie) await auth.logout(cookie);
    if (req.user)
      await auth.audit({
        user_id: req.user.id,
        username: req.user.username,
        action: 'auth.logout',
        job_id: null,
        detail: null,
        ip: ipOf(req),
        via: viaOf(req.user),
      });
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  r.post('/auth/setup', limiter, async (req, res) => {
    const { token, username, password } = body(credentials.extend({ token: z.string().min(1).max(200) }), req);
    if (!isLoopback(ipOf(req) ?? ''))
      throw new AppError(403, 'SETUP_CLOSED', 'The setup link works only from the server machine itself.');
    const user = await auth.completeSetup(token, username, password);
    await auth.audit({
      user_id: user.id,
      username,
      action: 'user.setup',
      job_id: null,
      detail: 'first admin',
      ip: ipOf(req),
    });
    res.status(201).json({ user: await signIn(req, res, username, password) });
  });

  // ---- users (admin) -------------------------------------------------------------------------------
  const admin = requireRole('admin');
  const actor = (req: Request) => ({
    user_id: req.user!.id,
    username: req.user!.username,
    ip: ipOf(req),
    job_id: null,
    via: viaOf(req.user!),
  });

  r.get('/users', admin, async (_req, res) => res.json({ users: await auth.listUsers() }));

  r.post('/users', admin, async (req, res) => {
    const { username, password, role } = body(newUser, req);
    const user = await auth.addUser(username, password, role);
    await auth.audit({ ...actor(req), action: 'user.add', detail: `${username} (${role})` });
    res.status(201).json(user);
  });

  r.patch('/users/:id', admin, async (req, res) => {
    const patch = body(userPatch, req);
    const user = await auth.updateUser(String(req.params.id), patch);
    await auth.audit({
      ...actor(req),
      action: 'user.update',
      detail: `${user.username}${patch.role ? ` role=${patch.role}` : ''}${patch.password ? ' password reset' : ''}`,
    });
    res.json(user);
  });

  r.delete('/users/:id', admin, async (req, res) => {
    if (req.params.id === req.user!.id) throw new AppError(409, 'BAD_REQUEST', 'You cannot remove yourself.');
    const user = await auth.removeUser(String(req.params.id));
    await auth.audit({ ...actor(req), action: 'user.remove', detail: user.username });
    res.status(204).end();
  });

  // ---- personal API tokens ---------------------------------------------------------------------------
  const signedIn = requireRole('viewer');
  r.get('/tokens', signedIn, async (req, res) => res.json({ tokens: await auth.listTokens(req.user!.id) }));

  r.post('/tokens', signedIn, async (req, res) => {
    const { name } = body(z.object({ name: z.string().trim().min(1).max(100) }), req);
    const t = await auth.createToken(req.user!.id, name);
    await auth.audit({ ...actor(req), action: 'token.create', detail: name });
    res.status(201).json(t);
  });

  r.delete('/tokens/:id', signedIn, async (req, res) => {
    await auth.revokeToken(req.user!.id, String(req.params.id), req.user!.role === 'admin');
    await auth.audit({ ...actor(req), action: 'token.revoke', detail: String(req.params.id) });
    res.status(204).end();
  });

  // ---- audit (admin) -----------------------------------------------------------------------------------
  r.get('/audit', admin, async (req, res) => {
    const q = auditQuery.safeParse(req.query);
    if (!q.success) throw new AppError(400, 'VALIDATION_ERROR', describeZodError(q.error));
    res.json({ ...(await auth.listAudit(q.data)), page: q.data.page, page_size: q.data.page_size });
  });

  r.get('/audit.csv', admin, async (req, res) => {
    const q = auditQuery.omit({ page: true, page_size: true }).safeParse(req.query);
    if (!q.success) throw new AppError(400, 'VALIDATION_ERROR', describeZodError(q.error));
    await sendAuditCsv(auth, q.data, res);
  });

  return r;
}
