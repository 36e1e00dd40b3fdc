/**
 * What every worker thread loads at start: the forecast worker's run-time import graph (type-only imports
 * are erased) must not reach zod, which cost each thread ~17 MB of RSS (bench:upload's peak at "validated").
 * The contract's run-time values the engine needs live in contract/defaults.ts for that reason.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INVENTORY_DEFAULTS, jobConfigSchema, METHOD_NAMES } from '../../../server/contract/schemas.js';
import * as defaults from '../../../server/contract/defaults.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

/** Packages reached from `entry` through value imports (and the chain that first reached each). */
function packagesOf(entry: string): Map<string, string[]> {
  const seen = new Set<string>();
  const packages = new Map<string, string[]>();
  const visit = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    const here = [...chain, path.relative(ROOT, file)];
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = m[1];
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')), here);
      else if (!spec.startsWith('node:') && !packages.has(spec)) packages.set(spec, here);
    }
  };
  visit(path.join(ROOT, entry), []);
  return packages;
}

describe('the worker threads’ imports', () => {
  it('the forecast worker does not load zod', () => {
    const packages = packagesOf('server/workers/forecast.worker.ts');
    expect(packages.get('csv-parse')).toBeDefined(); // the walk does follow the engine's imports
    expect(packages.get('zod'), `zod reached through ${packages.get('zod')?.join(' → ')}`).toBeUndefined();
  });

  it('the values moved out of schemas.ts are the same ones, and the schema still applies them', () => {
    expect(METHOD_NAMES).toBe(defaults.METHOD_NAMES);
    expect(INVENTORY_DEFAULTS).toBe(defaults.INVENTORY_DEFAULTS);
    expect(jobConfigSchema.parse({ method: METHOD_NAMES[0] }).method).toBe(METHOD_NAMES[0]);
  });
});
