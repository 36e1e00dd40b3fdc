import { DataTypes, type QueryInterface } from 'sequelize';

export const name = '2027.01.10T00.00.00.stopped-progress';

/**
 * Where a stopped job had got to: a CANCELLED job's progress goes back to 0 (the product guide), so the
 * page needs this to say "stopped at 16 %" after a reload. Older rows keep null. Additive: no rebuild.
 */
export async function up(qi: QueryInterface): Promise<void> {
  await qi.addColumn('jobs', 'stopped_progress', { type: DataTypes.INTEGER, allowNull: true });
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.removeColumn('jobs', 'stopped_progress');
}
