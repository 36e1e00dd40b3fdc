/**
 * The only module that knows the database driver. WAL, a busy timeout, foreign keys, and one write
 * queue; migrations run before the server listens.
 */
import { Sequelize } from 'sequelize';
import { Umzug, SequelizeStorage } from 'umzug';
import { WriteQueue } from './write-queue.js';
import { migrations } from './migrations/index.js';
import { defineJobModel, type JobModelStatic } from './job.model.js';
import { defineAuthModels, type AuthModels } from './auth.models.js';
import { defineOverrideModel, type OverrideModelStatic } from './override.model.js';

export interface Database {
  sequelize: Sequelize;
  writes: WriteQueue;
  Job: JobModelStatic;
  auth: AuthModels;
  /** the planners' overrides of the plan */
  Override: OverrideModelStatic;
  close(): Promise<void>;
}

export async function openDatabase(file: string): Promise<Database> {
  const sequelize = new Sequelize({
    dialect: 'sqlite',
    storage: file,
    logging: false,
    // One connection: every statement goes through it in order, and pragmas apply to it.
    pool: { max: 1, min: 1, idle: 60_000, acquire: 30_000 },
    retry: { max: 0 },
  });
  await sequelize.query('PRAGMA journal_mode = WAL');
  await sequelize.query('PRAGMA synchronous = NORMAL');
  await sequelize.query('PRAGMA busy_timeout = 5000');
  await sequelize.query('PRAGMA foreign_keys = ON');
  const check = (await sequelize.query('PRAGMA quick_check', { plain: true })) as Record<string, string> | null;
  const verdict = check ? Object.values(check)[0] : 'ok';
  if (verdict !== 'ok') throw new Error(`Database ${file} failed its integrity check: ${verdict}`);

  const umzug = new Umzug({
    migrations: migrations.map((m) => ({
      name: m.name,
      up: () => m.up(sequelize.getQueryInterface()),
      down: () => m.down(sequelize.getQueryInterface()),
    })),
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize }),
    logger: undefined,
  });
  await umzug.up();

  const Job = defineJobModel(sequelize);
  const auth = defineAuthModels(sequelize);
  const Override = defineOverrideModel(sequelize);
  const writes = new WriteQueue();
  return {
    sequelize,
    writes,
    Job,
    auth,
    Override,
    async close() {
      await writes.drain();
      await sequelize.close();
    },
  };
}
