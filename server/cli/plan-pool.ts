/**
 * The CLI's worker pool for an inventory plan: the forecast pool, plus the parts file handed to the read
 * task and each partition's plan lines written, in chunk order, to the plan's temp file.
 * The job runner does not carry a parts file or write a plan yet (server/jobs belongs to the server side);
 * once it does, the CLI passes them to the runner and this file goes. The runner starts the partition tasks
 * in chunk order (one synchronous pool.run per chunk), so the k-th partition task is chunk k.
 */
import { OrderedOutput, PLAN_HEADER, type PartsSource } from '../forecast/index.js';
import { WorkerPool, type PoolOptions } from '../jobs/worker-pool.js';

type Run = WorkerPool['run'];

export class PlanPool extends WorkerPool {
  private next = 0;
  readonly plan: OrderedOutput;

  constructor(
    opts: PoolOptions,
    planTmpFile: string,
    private readonly parts: PartsSource | null,
  ) {
    super(opts);
    this.plan = new OrderedOutput(planTmpFile, PLAN_HEADER, 'plan');
  }

  override run(task: Parameters<Run>[0], signal: AbortSignal, onMessage: Parameters<Run>[2]): ReturnType<Run> {
    if (task.kind === 'load') return super.run({ ...task, parts: this.parts }, signal, onMessage);
    const started = super.run(task, signal, onMessage);
    if (task.kind !== 'partition') return started;
    const k = this.next++;
    // the runner sees the result once its plan lines are written, so a failed write fails the run
    const result = started.result.then(async (res) => {
      if (res.kind === 'partition') await this.plan.push(k, res.result);
      return res;
    });
    return { result, closed: started.closed };
  }
}
