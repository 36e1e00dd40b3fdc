/**
 * Reads an output CSV back (the job page's series list and chart), by the columns write.ts defines,
 * with part numbers and sites as they were uploaded.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { parse } from 'csv-parse';
import { readText } from './cells.js';
import type { OutputRecord } from './write.js';

/** The output's lines in file order (a series' lines are contiguous, series in output order). */
export async function* readOutput(file: string): AsyncGenerator<OutputRecord> {
  const options = { columns: true, skip_empty_lines: true, relax_column_count: true };
  // pipeline, not pipe: a read error or an early stop destroys both streams and reaches the loop below
  const parser = pipeline(createReadStream(file), parse(options), () => {
    /* the error (if any) is thrown by the loop below */
  });
  // csv-parse yields `any` records; the header is OUTPUT_HEADER, so each record has these columns
  for await (const rec of parser) {
    const r = rec as OutputRecord;
    // write.ts neutralised formula-like texts ('=…); the job page looks parts up by their real name
    r.partnumber = readText(r.partnumber);
    r.site_code = readText(r.site_code);
    yield r;
  }
}
