import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * CPU time (user + system, all threads) a process has used so far, in milliseconds, from
 * /proc/PID/stat; undefined where there is no /proc (not Linux) or the process is gone.
 */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, hence the last ')'): utime is the 12th, stime the 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    // USER_HZ is 100 on every Linux platform Node supports.
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

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
  /** The child's pid, to read its CPU time from /proc. */
  pid: number;
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

/** An `aiaas <command>` child process, started by {@link startServiceProcess}. */
export interface ServiceProcess {
  /** The child's pid, to sample its memory from /proc. */
  pid: number;
  /** The ready line as matched. */
  ready: RegExpMatchArray;
  /** Warn and error log lines seen so far (at most 50 are kept). */
  problems: NodeLogProblem[];
  exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** SIGTERM, wait for exit (SIGKILL after `graceMs`). Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `node dist/aiaas.js <args>` as a separate process, so that on a small machine the load
 * generator and the service are scheduled independently, and resolves once a line matches
 * `readyLine`. `execArgv` goes to node before the script (e.g. `--cpu-prof`); `env` is laid over
 * this process's environment (an undefined value removes a variable).
 */
export async function startServiceProcess(
  distDir: string,
  args: readonly string[],
  readyLine: RegExp,
  options: { readyTimeoutMs?: number; execArgv?: readonly string[]; name?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ServiceProcess> {
  const { readyTimeoutMs = 120_000, execArgv = [], name = args[0] ?? 'aiaas' } = options;
  installExitHook();
  const child = spawn(process.execPath, [...execArgv, path.join(distDir, 'aiaas.js'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // child_process leaves out variables whose value is undefined.
    env: { ...process.env, ORT_DISABLE_TELEMETRY: '1', ...options.env },
  });
  live.add(child);
  const tail: string[] = [];
  const problems: NodeLogProblem[] = [];
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const handle: ServiceProcess = {
    pid: child.pid ?? 0,
    ready: [] as unknown as RegExpMatchArray,
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
    const match = line.match(readyLine);
    if (match) {
      handle.ready = match;
      ready();
    }
    if (line.startsWith('{')) {
      try {
        const entry = JSON.parse(line) as {
          level?: unknown;
          msg?: unknown;
          err?: unknown;
        };
        if (typeof entry.level === 'number' && entry.level >= 40 && problems.length < 50) {
          const err =
            entry.err === undefined ? undefined : typeof entry.err === 'string' ? entry.err : JSON.stringify(entry.err);
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
      outcome === 'exited'
        ? `exited (${JSON.stringify(handle.exited)})`
        : `did not print a line matching ${readyLine} within ${readyTimeoutMs} ms`;
    throw new Error(`${name} ${why}; last output:\n${tail.join('\n')}`);
  }
  return handle;
}

/**
 * Starts `aiaas node` on free loopback ports for `modelRepository` (see {@link startServiceProcess}).
 * `distDir` is the folder holding aiaas.js (and session-worker.js beside it).
 */
export async function startNodeProcess(
  distDir: string,
  modelRepository: string,
  options: { readyTimeoutMs?: number; execArgv?: readonly string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<NodeProcess> {
  const grpcPort = await freePort();
  const metricsPort = await freePort();
  const service = await startServiceProcess(
    distDir,
    [
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
    /inference node on /,
    { ...options, name: 'inference node' },
  );
  return {
    grpcPort,
    pid: service.pid,
    problems: service.problems,
    get exited() {
      return service.exited;
    },
    stop: (graceMs) => service.stop(graceMs),
  };
}
