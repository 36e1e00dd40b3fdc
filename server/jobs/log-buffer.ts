import type { LogLine } from '../contract/dto.js';

/** The last lines of each job's log, kept in memory and saved with the job row. */
export class LogBuffer {
  private readonly lines = new Map<string, LogLine[]>();

  constructor(private readonly max = 200) {}

  add(id: string, level: LogLine['level'], msg: string): LogLine {
    const line: LogLine = { t: new Date().toISOString(), level, msg: msg.slice(0, 2000) };
    const arr = this.lines.get(id) ?? [];
    arr.push(line);
    if (arr.length > this.max) arr.splice(0, arr.length - this.max);
    this.lines.set(id, arr);
    return line;
  }

  /** Lines for a job, loading the saved ones first if this process has none yet. */
  get(id: string, saved?: readonly LogLine[]): LogLine[] {
    let arr = this.lines.get(id);
    if (!arr && saved) {
      arr = [...saved];
      this.lines.set(id, arr);
    }
    return arr ?? [];
  }

  /** A copy of a job's lines to save, with one more line appended if given (not kept here). */
  snapshot(id: string, extra?: Omit<LogLine, 't'>): LogLine[] {
    const lines = this.lines.get(id) ?? [];
    return extra ? [...lines, { t: new Date().toISOString(), ...extra }] : [...lines];
  }

  drop(id: string): void {
    this.lines.delete(id);
  }
}
