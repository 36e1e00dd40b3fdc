/**
 * Migrations, oldest first. Listed explicitly (not globbed) so the same list works from TypeScript
 * sources and from the compiled build. Prefer additive migrations: on SQLite, changeColumn and
 * removeColumn rebuild tables.
 */
import type { QueryInterface } from 'sequelize';
import * as createJobs from './2026.11.28T00.00.00.create-jobs.js';
import * as auth from './2026.11.28T01.00.00.auth.js';
import * as auditVia from './2026.12.10T00.00.00.audit-via.js';
import * as inventoryPlan from './2027.01.05T00.00.00.inventory-plan.js';
import * as stoppedProgress from './2027.01.10T00.00.00.stopped-progress.js';
import * as jobName from './2027.01.20T00.00.00.job-name.js';
import * as jobActuals from './2027.02.01T00.00.00.job-actuals.js';
import * as actualsJob from './2027.02.10T00.00.00.actuals-job.js';
import * as overrides from './2027.02.11T00.00.00.overrides.js';

export interface Migration {
  name: string;
  up(qi: QueryInterface): Promise<void>;
  down(qi: QueryInterface): Promise<void>;
}

export const migrations: Migration[] = [
  createJobs,
  auth,
  auditVia,
  inventoryPlan,
  stoppedProgress,
  jobName,
  jobActuals,
  actualsJob,
  overrides,
];
