/**
 * exceljs's streaming reader walks a workbook's entries with `unzipper.Parse` until that stream says
 * 'end'. unzipper 0.10 says 'end' as soon as its *input* has been written in ('finish'), while entries are
 * still being parsed from the bytes it holds; exceljs then stops early and the workbook's last entries go
 * unread at random (exceljs/exceljs#3064). exceljs stores xl/workbook.xml last, so a sheet the server
 * wrote itself failed 13 reads in 200 with "Cannot read properties of undefined (reading 'sheets')".
 *
 * The stream's genuine end still comes: the parser pushes its end after the zip's end-of-directory record,
 * and Node emits 'end' once every entry has been read. So an 'end' before that is dropped here. A cut
 * file still ends: the parser then fails with FILE_ENDED, an error, which is let through.
 */
import { createRequire } from 'node:module';

type Emit = (event: string | symbol, ...args: unknown[]) => boolean;
interface ParseStream {
  emit: Emit;
  readableEnded: boolean;
}
type ParseFactory = ((opts?: object) => ParseStream) & { sparecastEndFix?: true };

let done = false;

/** Makes the unzipper that exceljs loads end only when it has no more entries. Idempotent. */
export function fixUnzipperEnd(): void {
  if (done) return;
  done = true;
  // the unzipper exceljs itself resolves (it pins its own range)
  const fromHere = createRequire(import.meta.url);
  const fromExceljs = createRequire(fromHere.resolve('exceljs'));
  const unzipper = fromExceljs('unzipper') as { Parse: ParseFactory };
  const original = unzipper.Parse;
  if (original.sparecastEndFix) return;
  const Parse: ParseFactory = (opts?: object) => {
    const stream = original(opts);
    const emit = stream.emit;
    stream.emit = function (this: ParseStream, event, ...args) {
      // Node sets readableEnded before it emits the genuine 'end'
      if (event === 'end' && !this.readableEnded) return false;
      return emit.call(this, event, ...args);
    };
    return stream;
  };
  Parse.sparecastEndFix = true;
  unzipper.Parse = Parse;
}
