import { DataTypes, type QueryInterface } from 'sequelize';

export const name = '2026.11.28T00.00.00.create-jobs';

export async function up(qi: QueryInterface): Promise<void> {
  await qi.createTable('jobs', {
    id: { type: DataTypes.STRING(32), primaryKey: true, allowNull: false },
    seq: { type: DataTypes.INTEGER, allowNull: false, unique: true },
    filename: { type: DataTypes.STRING(255), allowNull: false },
    upload_name: { type: DataTypes.STRING(80), allowNull: false },
    file_size: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    output_name: { type: DataTypes.STRING(80), allowNull: true },
    status: { type: DataTypes.STRING(16), allowNull: false },
    progress: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    stage: { type: DataTypes.STRING(120), allowNull: false, defaultValue: '' },
    error_message: { type: DataTypes.TEXT, allowNull: true },
    config: { type: DataTypes.TEXT, allowNull: false },
    partitions: { type: DataTypes.TEXT, allowNull: false },
    rows: { type: DataTypes.INTEGER, allowNull: true },
    metrics: { type: DataTypes.TEXT, allowNull: true },
    log: { type: DataTypes.TEXT, allowNull: false, defaultValue: '[]' },
    attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    created_at: { type: DataTypes.STRING(32), allowNull: false },
    started_at: { type: DataTypes.STRING(32), allowNull: true },
    completed_at: { type: DataTypes.STRING(32), allowNull: true },
  });
  await qi.addIndex('jobs', ['status']);
  await qi.addIndex('jobs', ['created_at']);
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.dropTable('jobs');
}
