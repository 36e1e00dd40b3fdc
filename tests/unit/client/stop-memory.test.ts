import { describe, expect, it } from 'vitest';
import { StopMemory } from '../../../client/src/lib/stop-memory.js';
import { makeJob } from './fakes.js';

describe('StopMemory: where a stopped job had got to', () => {
  it("takes the server's stopped_progress, on a page that never saw the job run", () => {
    const m = new StopMemory();
    const job = makeJob({ status: 'CANCELLED', progress: 0, stopped_progress: 16 });
    expect(m.see(job)).toBe(16);
    expect(m.at(job.id)).toBe(16);
  });

  it('falls back to the last progress the page saw, for rows from before the server kept it', () => {
    const m = new StopMemory();
    const job = makeJob({ status: 'PROCESSING', progress: 10 });
    expect(m.see(job)).toBeNull();
    expect(m.see({ ...job, progress: 42 })).toBeNull();
    expect(m.see({ ...job, status: 'CANCELLED', progress: 0, stopped_progress: null })).toBe(42);
  });

  it('says nothing for a job that completed, failed, or was stopped before it started', () => {
    const m = new StopMemory();
    const done = makeJob({ status: 'PROCESSING', progress: 50 });
    m.see(done);
    expect(m.see({ ...done, status: 'COMPLETED', progress: 100 })).toBeNull();
    expect(m.see(makeJob({ status: 'CANCELLED', progress: 0, stopped_progress: null }))).toBeNull();
  });
});
