import { DataTypes, type QueryInterface } from 'sequelize';

export const name = '2027.01.05T00.00.00.inventory-plan';

/**
 * The inventory plan: a job's optional parts file (stored under uploads/, and the name the person gave it)
 * and its plan under outputs/. Older jobs keep null (no parts file, no plan). Additive: no table rebuild.
 */
export async function up(qi: QueryInterface): Promise<void> {
  await qi.addColumn('jobs', 'parts_name', { type: DataTypes.STRING(80), allowNull: true });
  await qi.addColumn('jobs', 'parts_filename', { type: DataTypes.STRING(255), allowNull: true });
  await qi.addColumn('jobs', 'parts_size', { type: DataTypes.INTEGER, allowNull: true });
  await qi.addColumn('jobs', 'plan_name', { type: DataTypes.STRING(80), allowNull: true });
}

export async function down(qi: QueryInterface): Promise<void> {
  for (const c of ['plan_name', 'parts_size', 'parts_filename', 'parts_name']) await qi.removeColumn('jobs', c);
}
