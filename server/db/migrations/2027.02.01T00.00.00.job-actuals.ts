import { DataTypes, type QueryInterface } from 'sequelize';

export const name = '2027.02.01T00.00.00.job-actuals';

/**
 * The actuals a planner sends for a finished job (what really happened after its origin), held against its
 * forecast and plan by the tracking: the stored file under uploads/, its name as sent, its size, when. Older
 * rows keep null (no actuals). Additive: no rebuild.
 */
export async function up(qi: QueryInterface): Promise<void> {
  await qi.addColumn('jobs', 'actuals_name', { type: DataTypes.STRING(80), allowNull: true });
  await qi.addColumn('jobs', 'actuals_filename', { type: DataTypes.STRING(255), allowNull: true });
  await qi.addColumn('jobs', 'actuals_size', { type: DataTypes.INTEGER, allowNull: true });
  await qi.addColumn('jobs', 'actuals_at', { type: DataTypes.STRING(40), allowNull: true });
}

export async function down(qi: QueryInterface): Promise<void> {
  for (const c of ['actuals_at', 'actuals_size', 'actuals_filename', 'actuals_name']) await qi.removeColumn('jobs', c);
}
