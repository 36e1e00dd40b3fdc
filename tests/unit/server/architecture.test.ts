// The server's floors run one way and no import circles back: a new circle or an import up a floor fails here,
// naming the files (tests/helpers/import-graph.ts reads the graph with TypeScript's own pre-processor).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  floorOf,
  importCircles,
  readImportGraph,
  SERVER_FLOORS,
  upwardImports,
  type ImportGraph,
} from '../../helpers/import-graph.js';

const SERVER = fileURLToPath(new URL('../../../server', import.meta.url));
const graph = readImportGraph(SERVER);

const toy = (edges: Record<string, string[]>): ImportGraph => ({
  files: Object.keys(edges).sort(),
  edges: new Map(Object.entries(edges)),
});

describe('the import graph checker', () => {
  it('reads the server: every file on a floor, imports resolved (multi-line, type-only and re-exports too)', () => {
    expect(graph.files.length).toBeGreaterThan(100);
    for (const f of graph.files) expect(() => floorOf(f)).not.toThrow();
    // index.ts re-exports from many rooms over multi-line statements
    expect(graph.edges.get('forecast/index.ts')).toContain('forecast/output/plan-write.ts');
    expect(graph.edges.get('main.ts')?.length).toBeGreaterThan(0);
  });

  it('finds a circle and an upward import in a made-up graph', () => {
    const g = toy({
      'jobs/a.ts': ['jobs/b.ts'],
      'jobs/b.ts': ['jobs/c.ts', 'http/x.ts'],
      'jobs/c.ts': ['jobs/a.ts'],
      'http/x.ts': ['jobs/a.ts'],
    });
    expect(importCircles(g)).toEqual([['http/x.ts', 'jobs/a.ts', 'jobs/b.ts', 'jobs/c.ts']]);
    expect(upwardImports(g)).toEqual(['jobs/b.ts → http/x.ts']);
    expect(importCircles(toy({ 'db/a.ts': ['db/a.ts'] }))).toEqual([['db/a.ts']]);
    expect(importCircles(toy({ 'db/a.ts': ['db/b.ts'], 'db/b.ts': [] }))).toEqual([]);
  });
});

describe('the server', () => {
  it('has no import circle', () => {
    expect(importCircles(graph)).toEqual([]);
  });

  it(`imports only down its floors: ${SERVER_FLOORS.map((f) => f.join('/')).join(' < ')}`, () => {
    expect(upwardImports(graph)).toEqual([]);
  });
});
