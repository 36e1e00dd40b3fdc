import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

import type { AuditEntryDto, Role } from '../contract/auth.js';
export type { Role };

export interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  role: Role;
  failed_logins: number;
  locked_until: string | null;
  created_at: string;
}
export interface SessionRow {
  id: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  ip: string | null;
}
export interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}
/** The audit table holds exactly what the API shows (the id is assigned on insert). */
export type AuditRow = Omit<AuditEntryDto, 'id'> & { id?: number };

type M<T extends object> = ModelStatic<Model<T, T> & T>;
export interface AuthModels {
  User: M<UserRow>;
  Session: M<SessionRow>;
  Token: M<TokenRow>;
  Audit: M<AuditRow>;
}

const str = (n: number, allowNull = false) => ({ type: DataTypes.STRING(n), allowNull });

export function defineAuthModels(sequelize: Sequelize): AuthModels {
  const opts = { timestamps: false };
  return {
    User: sequelize.define(
      'User',
      {
        id: { ...str(32), primaryKey: true },
        username: str(64),
        password_hash: str(255),
        role: str(16),
        failed_logins: { type: DataTypes.INTEGER, allowNull: false },
        locked_until: str(32, true),
        created_at: str(32),
      },
      { ...opts, tableName: 'users' },
    ) as M<UserRow>,
    Session: sequelize.define(
      'Session',
      {
        id: { ...str(64), primaryKey: true },
        user_id: str(32),
        created_at: str(32),
        expires_at: str(32),
        ip: str(64, true),
      },
      { ...opts, tableName: 'sessions' },
    ) as M<SessionRow>,
    Token: sequelize.define(
      'Token',
      {
        id: { ...str(32), primaryKey: true },
        user_id: str(32),
        name: str(100),
        token_hash: str(64),
        created_at: str(32),
        last_used_at: str(32, true),
        revoked_at: str(32, true),
      },
      { ...opts, tableName: 'api_tokens' },
    ) as M<TokenRow>,
    Audit: sequelize.define(
      'Audit',
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        at: str(32),
        user_id: str(32, true),
        username: str(64, true),
        action: str(40),
        job_id: str(32, true),
        detail: { type: DataTypes.TEXT, allowNull: true },
        ip: str(64, true),
        via: str(8, true),
      },
      { ...opts, tableName: 'audit' },
    ) as M<AuditRow>,
  };
}
