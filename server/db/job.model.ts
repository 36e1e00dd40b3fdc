import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import type { JobStatus } from '../contract/dto.js';

/** A jobs row as stored (JSON columns still as text). */
export interface JobRow {
  id: string;
  seq: number;
  filename: string;
  upload_name: string;
  file_size: number;
  output_name: string | null;
  status: JobStatus;
  progress: number;
  stage: string;
  error_message: string | null;
  config: string;
  partitions: string;
  rows: number | null;
  metrics: string | null;
  log: string;
  attempts: number;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  created_by: string | null;
  created_by_name: string | null;
  /** The optional parts file under uploads/, the name it was uploaded as, its size. */
  parts_name: string | null;
  parts_filename: string | null;
  parts_size: number | null;
  /** The inventory plan under outputs/, once COMPLETED. */
  plan_name: string | null;
  /** A CANCELLED job's progress when it was stopped (its progress column goes back to 0). */
  stopped_progress: number | null;
  /** The name a person gave the job (null: none; pages show the file name). */
  name: string | null;
  /** The actuals sent for a completed job under uploads/, the name they were sent as, their size, when. */
  actuals_name: string | null;
  actuals_filename: string | null;
  actuals_size: number | null;
  actuals_at: string | null;
  /** The later job whose upload serves as this job's actuals (tracking); null: none found. */
  actuals_job: string | null;
}

export type JobModel = Model<JobRow, JobRow> & JobRow;
export type JobModelStatic = ModelStatic<JobModel>;

export function defineJobModel(sequelize: Sequelize): JobModelStatic {
  return sequelize.define<JobModel>(
    'Job',
    {
      id: { type: DataTypes.STRING(32), primaryKey: true },
      seq: { type: DataTypes.INTEGER, allowNull: false },
      filename: { type: DataTypes.STRING(255), allowNull: false },
      upload_name: { type: DataTypes.STRING(80), allowNull: false },
      file_size: { type: DataTypes.INTEGER, allowNull: false },
      output_name: { type: DataTypes.STRING(80), allowNull: true },
      status: { type: DataTypes.STRING(16), allowNull: false },
      progress: { type: DataTypes.INTEGER, allowNull: false },
      stage: { type: DataTypes.STRING(120), allowNull: false },
      error_message: { type: DataTypes.TEXT, allowNull: true },
      config: { type: DataTypes.TEXT, allowNull: false },
      partitions: { type: DataTypes.TEXT, allowNull: false },
      rows: { type: DataTypes.INTEGER, allowNull: true },
      metrics: { type: DataTypes.TEXT, allowNull: true },
      log: { type: DataTypes.TEXT, allowNull: false },
      attempts: { type: DataTypes.INTEGER, allowNull: false },
      created_at: { type: DataTypes.STRING(32), allowNull: false },
      started_at: { type: DataTypes.STRING(32), allowNull: true },
      completed_at: { type: DataTypes.STRING(32), allowNull: true },
      created_by: { type: DataTypes.STRING(32), allowNull: true },
      created_by_name: { type: DataTypes.STRING(64), allowNull: true },
      parts_name: { type: DataTypes.STRING(80), allowNull: true },
      parts_filename: { type: DataTypes.STRING(255), allowNull: true },
      parts_size: { type: DataTypes.INTEGER, allowNull: true },
      plan_name: { type: DataTypes.STRING(80), allowNull: true },
      stopped_progress: { type: DataTypes.INTEGER, allowNull: true },
      name: { type: DataTypes.STRING(100), allowNull: true },
      actuals_name: { type: DataTypes.STRING(80), allowNull: true },
      actuals_filename: { type: DataTypes.STRING(255), allowNull: true },
      actuals_size: { type: DataTypes.INTEGER, allowNull: true },
      actuals_at: { type: DataTypes.STRING(40), allowNull: true },
      actuals_job: { type: DataTypes.STRING(64), allowNull: true },
    },
    { tableName: 'jobs', timestamps: false },
  );
}
