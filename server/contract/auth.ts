/**
 * Sign-in, users, tokens and audit: wire shapes shared with the client.
 */
export const ROLES = ['viewer', 'planner', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** viewer: see and download; planner: also upload, run, stop (and delete own jobs); admin: everything. */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

export interface AuthUserDto {
  id: string;
  username: string;
  role: Role;
}

/** GET /api/auth/me */
export interface MeDto {
  /** 'off' only for a single-user install bound to loopback. */
  auth: 'on' | 'off';
  user: AuthUserDto | null;
  /** True while no user exists: the console shows a one-time setup link. */
  setup_required: boolean;
}

export interface UserDto extends AuthUserDto {
  created_at: string;
  locked: boolean;
}

export interface TokenDto {
  id: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
  revoked: boolean;
}

/** How the person behind an audit entry was signed in: a browser session cookie or a personal API token. */
export type AuditVia = 'cookie' | 'token';

/** Every action the audit trail records; pages word them (a new one without words fails the typecheck). */
export const AUDIT_ACTIONS = [
  'job.upload',
  'job.sample',
  'job.rerun',
  'job.stop',
  'job.delete',
  'job.force_delete',
  'job.replan',
  'job.rename',
  'job.actuals',
  'job.actuals_delete',
  'override.set',
  'override.remove',
  'override.import',
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'user.setup',
  'user.add',
  'user.update',
  'user.remove',
  'token.create',
  'token.revoke',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntryDto {
  id: number;
  at: string;
  user_id: string | null;
  username: string | null;
  /** one of AUDIT_ACTIONS (a string: entries written by a newer server may hold others) */
  action: string;
  job_id: string | null;
  detail: string | null;
  ip: string | null;
  /** null for sign-in attempts, the command line, and entries older than this column. */
  via: AuditVia | null;
}
