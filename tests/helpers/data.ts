import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeDemandFile } from '../../scripts/generate-demand.js';

/** A generated demand file (cached per scale in the OS temp folder). */
export async function demandFile(scale: number): Promise<string> {
  const dir = path.join(os.tmpdir(), 'sparecast-test-data');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `demand-x${scale}.csv`);
  if (!existsSync(file)) await writeDemandFile(file, { scale, seed: 7, start: '2024-08-01', days: 365 });
  return file;
}
