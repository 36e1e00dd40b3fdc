// Dev/test only: lets a worker thread run a TypeScript task module. Node 20 does not apply
// `--import tsx` from a worker's execArgv, but tsx's register() called inside the thread works.
// Production runs the compiled .js worker directly and never loads this file.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { tsEntry } = workerData[1];
const mod = await import(tsEntry);
export default mod.default;
