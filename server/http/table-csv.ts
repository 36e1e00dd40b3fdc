/**
 * A table sent as a CSV download, a chunk at a time (waiting for the client to take each): text cells through
 * the engine's formula-injection guard (csvText), numbers as they are, blanks empty.
 */
import type { Response } from 'express';
import { csvText } from '../forecast/index.js';

const CHUNK = 1000;

export async function sendCsv<R>(
  res: Response,
  name: string,
  columns: readonly (keyof R & string)[],
  rows: readonly R[],
): Promise<void> {
  res.type('text/csv; charset=utf-8');
  res.set('Cache-Control', 'private, no-store');
  res.attachment(name);
  res.write(`${columns.join(',')}\n`);
  for (let i = 0; i < rows.length && !res.destroyed; i += CHUNK) {
    let text = '';
    for (const r of rows.slice(i, i + CHUNK)) {
      text += columns
        .map((c) => {
          const v = r[c] as unknown;
          return v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : csvText(String(v));
        })
        .join(',');
      text += '\n';
    }
    if (!res.write(text)) await drained(res);
  }
  res.end();
}

/** Resolves when the response can take more, or is gone (a client that left never drains). */
export function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
