import fs from 'node:fs';
import path from 'node:path';
import type { ServiceSpec } from './supervisor';

/** What to tell a user who has no Redis, in one line. */
export const REDIS_INSTALL_HINT =
  'optimizer jobs are off: no REDIS_URL and no redis-server on the PATH (install it: `apt-get install redis-server` or `brew install redis`, then run aiaas up again)';

/**
 * The first executable `redis-server` on `PATH`, or undefined.
 * @param pathVariable the PATH to search @default process.env.PATH
 */
export function findRedisServer(pathVariable: string | undefined = process.env['PATH']): string | undefined {
  for (const dir of (pathVariable ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, 'redis-server');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/**
 * A private Redis for the job queue: loopback only, its files in `dir`, append-only so queued and
 * running jobs survive a restart of `aiaas up`. Settings go on the command line (no config file
 * to keep in sync); `--save ''` because the append-only file is the persistence.
 */
export function privateRedisSpec(options: { binary: string; dir: string; port: number; logFile: string }): ServiceSpec {
  fs.mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  return {
    name: 'redis',
    command: options.binary,
    args: [
      '--port',
      String(options.port),
      '--bind',
      '127.0.0.1',
      '--protected-mode',
      'yes',
      '--dir',
      options.dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--daemonize',
      'no',
      '--logfile',
      '',
    ],
    logFile: options.logFile,
    ready: /Ready to accept connections/,
    readyTimeoutMs: 30_000,
  };
}
