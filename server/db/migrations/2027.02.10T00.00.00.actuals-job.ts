import { DataTypes, type QueryInterface } from 'sequelize';

export const name = '2027.02.10T00.00.00.actuals-job';

/**
 * A later job whose upload covers part of a finished job's forecast window serves as its actuals: the id of
 * the newest such job (jobs/results/job-tracking.ts). Older rows keep null (none found yet). Additive.
 */
export async function up(qi: QueryInterface): Promise<void> {
  await qi.addColumn('jobs', 'actuals_job', { type: DataTypes.STRING(64), allowNull: true });
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.removeColumn('jobs', 'actuals_job');
}
