import { DataTypes, type QueryInterface } from 'sequelize';

export const name = '2026.11.28T01.00.00.auth';

export async function up(qi: QueryInterface): Promise<void> {
  await qi.createTable('users', {
    id: { type: DataTypes.STRING(32), primaryKey: true },
    username: { type: DataTypes.STRING(64), allowNull: false, unique: true },
    password_hash: { type: DataTypes.STRING(255), allowNull: false },
    role: { type: DataTypes.STRING(16), allowNull: false },
    failed_logins: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    locked_until: { type: DataTypes.STRING(32), allowNull: true },
    created_at: { type: DataTypes.STRING(32), allowNull: false },
  });
  await qi.createTable('sessions', {
    id: { type: DataTypes.STRING(64), primaryKey: true }, // sha256 of the cookie value
    user_id: { type: DataTypes.STRING(32), allowNull: false },
    created_at: { type: DataTypes.STRING(32), allowNull: false },
    expires_at: { type: DataTypes.STRING(32), allowNull: false },
    ip: { type: DataTypes.STRING(64), allowNull: true },
  });
  await qi.addIndex('sessions', ['user_id']);
  await qi.createTable('api_tokens', {
    id: { type: DataTypes.STRING(32), primaryKey: true },
    user_id: { type: DataTypes.STRING(32), allowNull: false },
    name: { type: DataTypes.STRING(100), allowNull: false },
    token_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
    created_at: { type: DataTypes.STRING(32), allowNull: false },
    last_used_at: { type: DataTypes.STRING(32), allowNull: true },
    revoked_at: { type: DataTypes.STRING(32), allowNull: true },
  });
  // The audit trail names users and jobs by value: it outlives both.
  await qi.createTable('audit', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    at: { type: DataTypes.STRING(32), allowNull: false },
    user_id: { type: DataTypes.STRING(32), allowNull: true },
    username: { type: DataTypes.STRING(64), allowNull: true },
    action: { type: DataTypes.STRING(40), allowNull: false },
    job_id: { type: DataTypes.STRING(32), allowNull: true },
    detail: { type: DataTypes.TEXT, allowNull: true },
    ip: { type: DataTypes.STRING(64), allowNull: true },
  });
  await qi.addIndex('audit', ['at']);
  await qi.addIndex('audit', ['job_id']);
  await qi.addColumn('jobs', 'created_by', { type: DataTypes.STRING(32), allowNull: true });
  await qi.addColumn('jobs', 'created_by_name', { type: DataTypes.STRING(64), allowNull: true });
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.dropTable('audit');
  await qi.dropTable('api_tokens');
  await qi.dropTable('sessions');
  await qi.dropTable('users');
}
