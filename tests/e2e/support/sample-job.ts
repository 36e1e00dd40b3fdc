/**
 * The sample demand file run through the real API with a parts file, for the pages that need a COMPLETED job
 * with a plan (the Inventory view, re-plan).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const SAMPLE = path.resolve(import.meta.dirname, '../../../server/assets/sample-demand.csv');

/** The sample's part numbers, each once, in file order. */
export function samplePartNumbers(sample: string): string[] {
  return [
    ...new Set(
      sample
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[2]),
    ),
  ];
}

/** Uploads the sample with `parts(sample)` as its parts file; resolves with the job id once it is COMPLETED. */
export async function completedSample(url: string, parts: (sample: string) => string): Promise<string> {
  const sample = readFileSync(SAMPLE, 'utf8');
  const form = new FormData();
  form.append('file', new Blob([sample]), 'sample-demand.csv');
  form.append('parts', new Blob([parts(sample)]), 'parts.csv');
  const created = await fetch(`${url}/api/jobs`, { method: 'POST', body: form });
  if (created.status !== 201) throw new Error(`POST /api/jobs answered ${created.status}: ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  // expect.poll only works inside a test; this runs in beforeAll.
  for (const until = Date.now() + 120_000; Date.now() < until; await new Promise((r) => setTimeout(r, 500))) {
    const { status } = (await (await fetch(`${url}/api/jobs/${id}`)).json()) as { status: string };
    if (status === 'COMPLETED') return id;
    if (status === 'FAILED' || status === 'CANCELLED') throw new Error(`the sample job ended ${status}`);
  }
  throw new Error('the sample job did not complete within 120 s');
}
