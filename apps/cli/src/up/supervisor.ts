import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** One child process the supervisor runs, watches and restarts. */
export interface ServiceSpec {
  /** Short name used in messages and the log file name ("registry", "node", ...). */
  name: string;
  command: string;
  args: readonly string[];
  /** The child's whole environment. @default process.env */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Where stdout and stderr go, appended across restarts (mode 0600: lines may name secrets). */
  logFile: string;
  /** A line on stdout or stderr that says the service is ready. */
  ready: RegExp;
  /** How long a start may take before it counts as failed. @default 60000 */
  readyTimeoutMs?: number;
  /** Lines matching this are written to the log as `[redacted]` (an admin key printed once). */
  redact?: RegExp;
  /** Sees every output line, before redaction (to capture what a service prints once). */
  onLine?: (line: string) => void;
}

/** What happened to a service; `aiaas up` turns each into one line for the user. */
export type SupervisorEvent =
  /** A process was started (not yet ready). */
  | { kind: 'spawned'; service: string; pid: number }
  | { kind: 'ready'; service: string; pid: number; match: RegExpMatchArray; restarts: number }
  | {
      kind: 'crashed';
      service: string;
      pid: number;
      code: number | null;
      signal: NodeJS.Signals | null;
      /** The last lines it wrote, to echo. */
      tail: string[];
      restartInMs: number;
      /** Crashes inside the window, this one included. */
      crashes: number;
    }
  | {
      kind: 'gave-up';
      service: string;
      pid: number;
      code: number | null;
      signal: NodeJS.Signals | null;
      tail: string[];
      crashes: number;
      windowMs: number;
    }
  | {
      kind: 'stopped';
      service: string;
      pid: number;
      code: number | null;
      signal: NodeJS.Signals | null;
      forced: boolean;
    };

export interface SupervisorOptions {
  /** How long a service may take to stop after SIGTERM before SIGKILL. @default 15000 */
  graceMs?: number;
  /** Delay before the first restart, doubled for each further crash in the window. @default 500 */
  restartDelayMs?: number;
  /** @default 10000 */
  maxRestartDelayMs?: number;
  /** Crashes tolerated inside `crashWindowMs`; one more and the service is given up. @default 5 */
  maxCrashes?: number;
  /** @default 60000 */
  crashWindowMs?: number;
  /** Lines kept per service to echo when it crashes. @default 5 */
  tailLines?: number;
  onEvent?: (event: SupervisorEvent) => void;
}

/** A service's state as the supervisor sees it. */
export type ServiceState = 'starting' | 'running' | 'restarting' | 'gave-up' | 'stopping' | 'stopped';

/** A first start that failed: the service exited or never printed its ready line. */
export class ServiceStartError extends Error {
  override readonly name = 'ServiceStartError';
  constructor(
    readonly service: string,
    message: string,
    readonly tail: string[],
  ) {
    super(message);
  }
}

interface Run {
  child: ChildProcess;
  pid: number;
  initial: boolean;
  ready: boolean;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

interface Managed {
  spec: ServiceSpec;
  state: ServiceState;
  run: Run | undefined;
  log: fs.WriteStream;
  tail: string[];
  crashTimes: number[];
  restarts: number;
  restartTimer: NodeJS.Timeout | undefined;
}

/**
 * Runs services as child processes, each in its own process group (so a terminal's Ctrl-C reaches
 * only the supervisor, which then stops them in order). A service that exits on its own is
 * restarted after a back-off that doubles per crash; past `maxCrashes` in `crashWindowMs` it is
 * given up and the others keep running. {@link stop} stops services in the reverse of their start
 * order: SIGTERM, then SIGKILL to the whole group after the grace period.
 */
export class Supervisor {
  readonly #services: Managed[] = [];
  readonly #options: Required<Omit<SupervisorOptions, 'onEvent'>> & Pick<SupervisorOptions, 'onEvent'>;
  #stopping: Promise<void> | undefined;

  constructor(options: SupervisorOptions = {}) {
    this.#options = {
      graceMs: options.graceMs ?? 15_000,
      restartDelayMs: options.restartDelayMs ?? 500,
      maxRestartDelayMs: options.maxRestartDelayMs ?? 10_000,
      maxCrashes: options.maxCrashes ?? 5,
      crashWindowMs: options.crashWindowMs ?? 60_000,
      tailLines: options.tailLines ?? 5,
      onEvent: options.onEvent,
    };
  }

  /** The pid of a service's current process, if it has one. */
  pid(name: string): number | undefined {
    const service = this.#find(name);
    return service?.run && service.state !== 'stopped' ? service.run.pid : undefined;
  }

  state(name: string): ServiceState | undefined {
    return this.#find(name)?.state;
  }

  /** Names in start order. */
  get names(): string[] {
    return this.#services.map((s) => s.spec.name);
  }

  /**
   * Starts a service and resolves with the match of its ready line. A first start that fails is
   * not retried (it is usually a setting, not bad luck): the child is killed and this rejects.
   * @throws ServiceStartError with the last lines the service wrote
   */
  async start(spec: ServiceSpec): Promise<RegExpMatchArray> {
    if (this.#stopping) throw new Error(`cannot start ${spec.name}: the supervisor is stopping`);
    if (this.#find(spec.name)) throw new Error(`service ${spec.name} is already supervised`);
    fs.mkdirSync(path.dirname(spec.logFile), { recursive: true, mode: 0o700 });
    const log = fs.createWriteStream(spec.logFile, { flags: 'a', mode: 0o600 });
    // A full disk must not take the supervisor down with it; the service keeps running unlogged.
    log.on('error', () => undefined);
    const service: Managed = {
      spec,
      state: 'starting',
      run: undefined,
      log,
      tail: [],
      crashTimes: [],
      restarts: 0,
      restartTimer: undefined,
    };
    this.#services.push(service);
    try {
      return await this.#launch(service, true);
    } catch (err) {
      service.state = 'stopped';
      await service.run?.exited;
      await new Promise<void>((resolve) => log.end(resolve));
      this.#services.splice(this.#services.indexOf(service), 1);
      throw err;
    }
  }

  /** Stops every service, last started first; resolves when all have exited. Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      for (const service of this.#services) clearTimeout(service.restartTimer);
      for (const service of [...this.#services].reverse()) await this.#stopOne(service);
    })();
    return this.#stopping;
  }

  /** Kills every child group at once, synchronously: the last resort when the supervisor itself is exiting. */
  killAll(): void {
    for (const service of this.#services) {
      clearTimeout(service.restartTimer);
      if (service.run) killGroup(service.run.pid, 'SIGKILL');
    }
  }

  #find(name: string): Managed | undefined {
    return this.#services.find((s) => s.spec.name === name);
  }

  #launch(service: Managed, initial: boolean): Promise<RegExpMatchArray> {
    const { spec } = service;
    service.tail = [];
    const child = spawn(spec.command, [...spec.args], {
      env: spec.env ?? process.env,
      cwd: spec.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const pid = child.pid;
    if (pid === undefined) {
      // spawn failed synchronously-ish (ENOENT arrives as an 'error' event); surface it as a start error.
      return new Promise((_resolve, reject) =>
        child.once('error', (err) =>
          reject(new ServiceStartError(spec.name, `${spec.name} could not be started: ${err.message}`, [])),
        ),
      );
    }
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const run: Run = { child, pid, initial, ready: false, exited };
    service.run = run;
    service.state = 'starting';
    writeLog(service, `--- aiaas up: ${spec.name} started (pid ${pid}) at ${new Date().toISOString()}\n`);
    this.#options.onEvent?.({ kind: 'spawned', service: spec.name, pid });

    let onLineForReady: ((line: string) => void) | undefined;
    const onLine = (line: string): void => {
      spec.onLine?.(line);
      const redacted = spec.redact?.test(line) ? '[redacted]' : line;
      writeLog(service, `${redacted}\n`);
      service.tail.push(redacted);
      if (service.tail.length > this.#options.tailLines) service.tail.shift();
      onLineForReady?.(line);
    };
    splitLines(child.stdout, onLine);
    splitLines(child.stderr, onLine);

    void exited.then(({ code, signal }) => {
      writeLog(
        service,
        `--- aiaas up: ${spec.name} (pid ${pid}) exited with ${signal ? `signal ${signal}` : `code ${code}`} at ${new Date().toISOString()}\n`,
      );
      // Whatever it left behind in its group (a job sandbox, say) goes with it.
      killGroup(pid, 'SIGKILL');
      if (this.#stopping || service.state === 'stopping' || service.state === 'stopped') return;
      if (run.initial && !run.ready) return; // the start() below reports it
      this.#onCrash(service, run, code, signal);
    });

    return new Promise<RegExpMatchArray>((resolve, reject) => {
      const timeoutMs = spec.readyTimeoutMs ?? 60_000;
      const timer = setTimeout(() => {
        onLineForReady = undefined;
        killGroup(pid, 'SIGKILL');
        reject(
          new ServiceStartError(
            spec.name,
            `${spec.name} did not get ready in ${timeoutMs} ms (no line matching ${spec.ready}); see ${spec.logFile}`,
            [...service.tail],
          ),
        );
      }, timeoutMs);
      onLineForReady = (line) => {
        const match = line.match(spec.ready);
        if (!match) return;
        onLineForReady = undefined;
        clearTimeout(timer);
        run.ready = true;
        service.state = 'running';
        if (!initial) service.restarts += 1;
        this.#options.onEvent?.({ kind: 'ready', service: spec.name, pid, match, restarts: service.restarts });
        resolve(match);
      };
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(
          new ServiceStartError(spec.name, `${spec.name} could not be started: ${err.message}`, [...service.tail]),
        );
      });
      void exited.then(({ code, signal }) => {
        if (run.ready) return;
        clearTimeout(timer);
        onLineForReady = undefined;
        reject(
          new ServiceStartError(
            spec.name,
            `${spec.name} exited before it was ready (${signal ? `signal ${signal}` : `code ${code}`}); see ${spec.logFile}`,
            [...service.tail],
          ),
        );
      });
    });
  }

  #onCrash(service: Managed, run: Run, code: number | null, signal: NodeJS.Signals | null): void {
    const now = Date.now();
    const { crashWindowMs, maxCrashes, restartDelayMs, maxRestartDelayMs } = this.#options;
    service.crashTimes = service.crashTimes.filter((t) => now - t < crashWindowMs);
    service.crashTimes.push(now);
    const crashes = service.crashTimes.length;
    const tail = [...service.tail];
    if (crashes > maxCrashes) {
      service.state = 'gave-up';
      this.#options.onEvent?.({
        kind: 'gave-up',
        service: service.spec.name,
        pid: run.pid,
        code,
        signal,
        tail,
        crashes,
        windowMs: crashWindowMs,
      });
      return;
    }
    const restartInMs = Math.min(restartDelayMs * 2 ** (crashes - 1), maxRestartDelayMs);
    service.state = 'restarting';
    this.#options.onEvent?.({
      kind: 'crashed',
      service: service.spec.name,
      pid: run.pid,
      code,
      signal,
      tail,
      restartInMs,
      crashes,
    });
    service.restartTimer = setTimeout(() => {
      service.restartTimer = undefined;
      if (this.#stopping) return;
      // A restart that fails to get ready counts as a crash: its exit (or the SIGKILL after the
      // ready timeout) comes back through the exit handler above.
      this.#launch(service, false).catch(() => undefined);
    }, restartInMs);
  }

  async #stopOne(service: Managed): Promise<void> {
    const run = service.run;
    const wasAlive = run !== undefined && run.child.exitCode === null && run.child.signalCode === null;
    service.state = 'stopping';
    let forced = false;
    if (run && wasAlive) {
      try {
        process.kill(run.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
      const timer = setTimeout(() => {
        forced = true;
        killGroup(run.pid, 'SIGKILL');
      }, this.#options.graceMs);
      const { code, signal } = await run.exited;
      clearTimeout(timer);
      this.#options.onEvent?.({ kind: 'stopped', service: service.spec.name, pid: run.pid, code, signal, forced });
    }
    service.state = 'stopped';
    await new Promise<void>((resolve) => service.log.end(resolve));
  }
}

/** Appends to a service's log unless it is closed (a child's last output can arrive after its exit). */
function writeLog(service: Managed, text: string): void {
  if (!service.log.writableEnded) service.log.write(text);
}

/** Signals a child's whole process group (it was spawned detached, so it leads one). */
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is gone already.
  }
}

function splitLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLine(line.replace(/\r$/, ''));
  });
  stream.on('end', () => {
    if (partial !== '') onLine(partial);
    partial = '';
  });
}
