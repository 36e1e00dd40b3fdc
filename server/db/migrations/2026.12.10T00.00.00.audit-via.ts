import { DataTypes, type QueryInterface } from 'sequelize';

export const name = '2026.12.10T00.00.00.audit-via';

/** How the actor was signed in (cookie or token); older entries keep null. Additive: no table rebuild. */
export async function up(qi: QueryInterface): Promise<void> {
  await qi.addColumn('audit', 'via', { type: DataTypes.STRING(8), allowNull: true });
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.removeColumn('audit', 'via');
}
