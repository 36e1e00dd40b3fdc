import { DataTypes, type QueryInterface } from 'sequelize';

export const name = '2027.02.11T00.00.00.overrides';

/**
 * A planner's overrides of the plan, per part and site ('' = every site of the part), kept in the database
 * (not in a job) so that every later job and re-plan applies them: one per part, site and kind (a new one
 * replaces it). Who set it is kept by value, like the audit trail: it outlives the user. A new table only.
 */
export async function up(qi: QueryInterface): Promise<void> {
  await qi.createTable('overrides', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    partnumber: { type: DataTypes.STRING(100), allowNull: false },
    site_code: { type: DataTypes.STRING(100), allowNull: false, defaultValue: '' },
    kind: { type: DataTypes.STRING(24), allowNull: false },
    value: { type: DataTypes.DOUBLE, allowNull: false },
    reason: { type: DataTypes.STRING(500), allowNull: false },
    expires_on: { type: DataTypes.STRING(10), allowNull: true },
    created_by: { type: DataTypes.STRING(32), allowNull: true },
    created_by_name: { type: DataTypes.STRING(64), allowNull: true },
    created_at: { type: DataTypes.STRING(32), allowNull: false },
  });
  await qi.addIndex('overrides', ['partnumber', 'site_code', 'kind'], { unique: true, name: 'overrides_key' });
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.dropTable('overrides');
}
