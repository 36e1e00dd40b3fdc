// The server's import graph, read with TypeScript's own pre-processor (static, type-only, re-exports and
// dynamic `import()` alike), so the architecture test can name circles and imports that run up a floor.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export interface ImportGraph {
  /** Files relative to the root, with '/' separators. */
  files: string[];
  /** file → the project files it imports (relative to the root). */
  edges: Map<string, string[]>;
}

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
}

const posix = (path: string): string => path.split(sep).join('/');

/** Reads every `.ts` file under `root` and resolves its relative imports to files under `root`. */
export function readImportGraph(root: string): ImportGraph {
  const absolute: string[] = [];
  walk(root, absolute);
  const known = new Set(absolute);
  const edges = new Map<string, string[]>();
  for (const file of absolute) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets: string[] = [];
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const base = resolve(dirname(file), fileName);
      const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')];
      const hit = candidates.find((c) => known.has(c));
      if (hit) targets.push(posix(relative(root, hit)));
    }
    edges.set(posix(relative(root, file)), [...new Set(targets)]);
  }
  return { files: [...edges.keys()].sort(), edges };
}

/** Strongly connected components with more than one file (Tarjan), each sorted; a file importing itself too. */
export function importCircles(graph: ImportGraph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.edges.get(v) ?? []).includes(v)) circles.push(component.sort());
    }
  };
  for (const file of graph.files) if (!index.has(file)) visit(file);
  return circles;
}

/**
 * The server's floors, lowest first: a file may import its own floor and the floors below, never above.
 * Keys are a top-level folder (`jobs`) or a top-level file (`app.ts`).
 */
export const SERVER_FLOORS: readonly (readonly string[])[] = [
  ['contract', 'config.ts', 'logger.ts'],
  ['db', 'storage'],
  ['forecast'],
  ['workers'],
  ['auth', 'ops'],
  ['jobs'],
  ['http', 'socket', 'cli'],
  ['app.ts'],
  ['server.ts'],
  ['main.ts'],
];

export function floorOf(file: string, floors: readonly (readonly string[])[] = SERVER_FLOORS): number {
  const head = file.split('/')[0]!;
  const at = floors.findIndex((floor) => floor.includes(head));
  if (at < 0) throw new Error(`${file} is on no floor: add '${head}' to SERVER_FLOORS`);
  return at;
}

/** Every import from a lower floor to a higher one, as 'from → to'. */
export function upwardImports(graph: ImportGraph, floors = SERVER_FLOORS): string[] {
  const out: string[] = [];
  for (const [from, targets] of graph.edges) {
    for (const to of targets) if (floorOf(to, floors) > floorOf(from, floors)) out.push(`${from} → ${to}`);
  }
  return out.sort();
}
