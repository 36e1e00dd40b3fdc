/**
 * Composition root: read config, start, and shut down in order on SIGTERM/SIGINT with a deadline.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';
import { appRoot } from './storage/app-root.js';
import { StorageRefusedError } from './storage/boot-guard.js';

const pkg = JSON.parse(readFileSync(path.join(appRoot(), 'package.json'), 'utf8')) as { version: string };

let config;
try {
  config = loadConfig(process.env, pkg.version);
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
const logger = createLogger(config);
const srv = await startServer(config, logger).catch((err: unknown) => {
  logger.fatal({ err }, 'could not start');
  // What to do about refused storage is for the person at the console, not only for the JSON log.
  if (err instanceof StorageRefusedError) process.stderr.write(`\n  ${err.message}\n\n`);
  process.exit(1);
});
logger.info(
  { url: srv.url, storage: config.storageDir, workers: config.WORKERS, auth: config.AUTH },
  `Sparecast ${pkg.version} listening on ${srv.url}`,
);
if (srv.setupUrl) {
  // Plain text too: the first thing a new installer needs must not hide in a JSON log line.
  process.stdout.write(
    `\n  No users yet. Create the first admin here (works once, from this machine):\n\n    ${srv.setupUrl}\n\n`,
  );
}

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error('shutdown deadline passed; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    deadline.unref();
    srv.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  });
}
