/**
 * Backup and restore from the shell (backup works while the server runs):
 *
 *   npm run backup -- --out DIR          snapshot STORAGE_DIR into the new folder DIR
 *   npm run restore -- --from DIR        restore DIR into STORAGE_DIR, which must be empty
 *     [--storage DIR]                    (either command: another storage folder than STORAGE_DIR)
 *
 * Exit 0 on success, 1 when the backup or restore must not go ahead (the reason is printed), 2 on bad usage,
 * 3 on any other failure (one line, no stack trace). Everything written is private (0600 files, 0700
 * folders), created afresh: nothing already there, a symbolic link included, is written through.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { backup, BackupError, restore } from '../ops/backup.js';
import { appRoot } from '../storage/app-root.js';

const USAGE = 'usage: npm run backup -- --out DIR | npm run restore -- --from DIR   [--storage DIR]';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string' }, from: { type: 'string' }, storage: { type: 'string' } },
  });
  const [cmd] = positionals;
  const pkg = JSON.parse(readFileSync(path.join(appRoot(), 'package.json'), 'utf8')) as { version: string };
  const storage = values.storage ? path.resolve(values.storage) : loadConfig(process.env, pkg.version).storageDir;
  if (cmd === 'backup' && values.out) {
    const m = await backup(storage, path.resolve(values.out), pkg.version);
    const bytes = m.files.reduce((s, f) => s + f.bytes, m.database.bytes);
    console.log(`backed up ${storage} to ${values.out}: database + ${m.files.length} files, ${bytes} bytes`);
    for (const f of m.missing) console.log(`note: ${f.dir}/${f.name} was removed while the backup ran (job deleted)`);
    return 0;
  }
  if (cmd === 'restore' && values.from) {
    const m = await restore(path.resolve(values.from), storage);
    console.log(`restored the backup of ${m.created_at} (release ${m.release}) into ${storage}`);
    return 0;
  }
  console.error(USAGE);
  return 2;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof BackupError) {
      console.error(`sparecast: ${err.message}`);
      process.exit(1);
    }
    // One line, no stack trace: an operator reads it (a file system error keeps its code and path).
    const msg = err instanceof Error ? err.message : String(err);
    console.error(`sparecast: the ${process.argv[2] ?? 'command'} failed: ${msg.replace(/\s*\n\s*/g, ' ')}`);
    process.exit(3);
  },
);
