import { DataTypes, type QueryInterface } from 'sequelize';

export const name = '2027.01.20T00.00.00.job-name';

/**
 * A name a person gives a job ("Q3 plan at 99 %"), so that five runs of carparts.csv can be told apart in
 * History. Older rows keep null (pages show the file name). Additive: no rebuild.
 */
export async function up(qi: QueryInterface): Promise<void> {
  await qi.addColumn('jobs', 'name', { type: DataTypes.STRING(100), allowNull: true });
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.removeColumn('jobs', 'name');
}
