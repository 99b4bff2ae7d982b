import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

/** A free TCP port on loopback: bind port 0, read the port back, release it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('could not read back a free port'))));
    });
  });
}

/** A log line of level warn (40) or above that the node wrote, kept for the report. */
export interface NodeLogProblem {
  level: number;
  msg: string;
  err: string | undefined;
}

/** An `aiaas node` child process on loopback. */
export interface NodeProcess {
  grpcPort: number;
  /** Warn and error log lines seen so far (at most 50 are kept). */
  problems: NodeLogProblem[];
  /** Set once the process exited; a bench still running against it should stop. */
  exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** SIGTERM, wait for exit (SIGKILL after `graceMs`). Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Last resort: a bench that dies (uncaught error, Ctrl-C) must not leave nodes running. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const child of live) child.kill('SIGKILL');
      process.exit(130);
    });
  }
}

const READY_LINE = 'inference node on ';

/**
 * Starts `node dist/aiaas.js node ...` as a separate process, so that on a small machine the
 * load generator and the node are scheduled independently, and resolves once it prints its
 * ready line. `distDir` is the folder holding aiaas.js (and session-worker.js beside it);
 * `execArgv` goes to node before the script (e.g. `--cpu-prof` to profile the node).
 */
export async function startNodeProcess(
  distDir: string,
  modelRepository: string,
  options: { readyTimeoutMs?: number; execArgv?: readonly string[] } = {},
): Promise<NodeProcess> {
  const { readyTimeoutMs = 120_000, execArgv = [] } = options;
  installExitHook();
  const grpcPort = await freePort();
  const metricsPort = await freePort();
  const child = spawn(
    process.execPath,
    [
      ...execArgv,
      path.join(distDir, 'aiaas.js'),
      'node',
      '--model-repository',
      modelRepository,
      '--grpc-port',
      String(grpcPort),
      '--metrics-port',
      String(metricsPort),
      '--host',
      '127.0.0.1',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ORT_DISABLE_TELEMETRY: '1' },
    },
  );
  live.add(child);
  const tail: string[] = [];
  const problems: NodeLogProblem[] = [];
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const handle: NodeProcess = {
    grpcPort,
    problems,
    exited: undefined,
    async stop(graceMs = 15_000) {
      if (handle.exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exitedPromise;
      clearTimeout(timer);
    },
  };
  child.once('exit', (code, signal) => {
    handle.exited = { code, signal };
    live.delete(child);
  });

  let ready!: () => void;
  const readyPromise = new Promise<void>((resolve) => (ready = resolve));
  const onLine = (line: string): void => {
    tail.push(line);
    if (tail.length > 40) tail.shift();
    if (line.includes(READY_LINE)) ready();
    if (line.startsWith('{')) {
      try {
        const entry = JSON.parse(line) as {
          level?: unknown;
          msg?: unknown;
          err?: unknown;
        };
        if (typeof entry.level === 'number' && entry.level >= 40 && problems.length < 50) {
          const err = entry.err === undefined ? undefined : typeof entry.err === 'string' ? entry.err : JSON.stringify(entry.err);
          problems.push({
            level: entry.level,
            msg: typeof entry.msg === 'string' ? entry.msg : JSON.stringify(entry.msg ?? ''),
            err,
          });
        }
      } catch {
        // Not a log line; kept in the tail only.
      }
    }
  };
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      pending += chunk;
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        onLine(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
    });
  }

  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    readyPromise.then(() => 'ready' as const),
    exitedPromise.then(() => 'exited' as const),
    new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), readyTimeoutMs))),
  ]);
  clearTimeout(timer);
  if (outcome !== 'ready') {
    await handle.stop(2000);
    const why =
      outcome === 'exited' ? `exited (${JSON.stringify(handle.exited)})` : `did not print "${READY_LINE}..." within ${readyTimeoutMs} ms`;
    throw new Error(`inference node ${why}; last output:\n${tail.join('\n')}`);
  }
  return handle;
}
