/** Reads an output CSV back (the job page's series list and chart), by the columns write.ts defines. */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { OutputRecord } from './write.js';

/** The output's lines in file order (a series' lines are contiguous, series in output order). */
export async function* readOutput(file: string): AsyncGenerator<OutputRecord> {
  const options = { columns: true, skip_empty_lines: true, relax_column_count: true };
  const parser = createReadStream(file).pipe(parse(options));
  // csv-parse yields `any` records; the header is OUTPUT_HEADER, so each record has these columns
  for await (const rec of parser) yield rec as OutputRecord;
}
