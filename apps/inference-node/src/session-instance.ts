import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { InternalError, UnavailableError } from '@aiaas/common';
import type { FromWorker, SessionSettings, ToWorker, WorkerTensor } from './worker-protocol';

/** What a session reports once created. */
export type SessionReady = Omit<Extract<FromWorker, { kind: 'ready' }>, 'kind'>;

export interface RunResult {
  outputs: WorkerTensor[];
  timing: { inputNs: number; inferNs: number; outputNs: number };
}

// onnxruntime's telemetry (on by default since 1.29 on Linux) writes an empty mat-debug-<pid>.log
// into the temp folder of every process that creates a session, and tries to upload events. The
// library reads this variable from the real process environment, which only the main thread can
// set (a worker's process.env is a copy), so it is set here, before any worker starts.
process.env['ORT_DISABLE_TELEMETRY'] ??= '1';

interface PendingRun {
  resolve(result: RunResult): void;
  reject(err: Error): void;
}

/**
 * Where the worker script lives: beside this module once bundled (dist/session-worker.js); from
 * the TypeScript sources (tests, ts tooling) it is the .ts file, loaded through tsx's require hook.
 */
function workerEntry(): { file: string; execArgv: string[] } {
  const compiled = path.join(__dirname, 'session-worker.js');
  if (fs.existsSync(compiled)) return { file: compiled, execArgv: [] };
  return { file: path.join(__dirname, 'session-worker.ts'), execArgv: ['--require', require.resolve('tsx/cjs')] };
}

/**
 * One model instance: an onnxruntime session in its own worker thread. Runs one batch at a time;
 * the scheduler decides what to give it.
 */
export class SessionInstance {
  private readonly worker: Worker;
  private readonly pending = new Map<number, PendingRun>();
  private nextId = 1;
  private exited = false;
  private exitError: Error | undefined;
  private readonly loaded: Promise<SessionReady>;

  constructor(settings: SessionSettings) {
    const entry = workerEntry();
    this.worker = new Worker(entry.file, { workerData: settings, execArgv: entry.execArgv });
    this.loaded = new Promise((resolve, reject) => {
      const onMessage = (message: FromWorker): void => {
        if (message.kind === 'ready') {
          const { kind: _kind, ...ready } = message;
          resolve(ready);
        } else if (message.kind === 'load-failed') {
          reject(new UnavailableError(`onnxruntime could not load ${settings.modelPath}: ${message.message}`));
        } else {
          this.settle(message);
        }
      };
      this.worker.on('message', onMessage);
      this.worker.on('error', (err) => {
        this.exitError = err;
        reject(new UnavailableError(`session worker for ${settings.modelPath} failed: ${err.message}`));
      });
      this.worker.on('exit', (code) => {
        this.exited = true;
        const reason = this.exitError?.message ?? `exit code ${code}`;
        reject(new UnavailableError(`session worker for ${settings.modelPath} exited (${reason})`));
        for (const run of this.pending.values()) {
          run.reject(new UnavailableError(`model instance stopped during inference (${reason})`));
        }
        this.pending.clear();
      });
    });
    // A load failure is reported through ready(); keep it from surfacing as an unhandled rejection.
    this.loaded.catch(() => undefined);
  }

  /** Resolves with the model's input and output metadata once the session is created. */
  ready(): Promise<SessionReady> {
    return this.loaded;
  }

  /** Runs one batch. Typed-array buffers in `feeds` are transferred: the caller must not reuse them. */
  run(feeds: WorkerTensor[], fetches: string[]): Promise<RunResult> {
    if (this.exited) return Promise.reject(new UnavailableError('model instance is stopped'));
    const id = this.nextId++;
    const transfer: ArrayBuffer[] = [];
    for (const feed of feeds) {
      if (!Array.isArray(feed.data)) transfer.push(feed.data.buffer as ArrayBuffer);
    }
    return new Promise<RunResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const message: ToWorker = { kind: 'run', id, feeds, fetches };
      this.worker.postMessage(message, transfer);
    });
  }

  private settle(message: FromWorker): void {
    if (message.kind !== 'result' && message.kind !== 'run-failed') return;
    const run = this.pending.get(message.id);
    if (!run) return;
    this.pending.delete(message.id);
    if (message.kind === 'result') run.resolve({ outputs: message.outputs, timing: message.timing });
    // onnxruntime's message names the failing node and shapes; it is about the caller's data.
    else run.reject(new InternalError(`onnxruntime failed: ${message.message}`));
  }

  /** Releases the session and ends the thread. In-flight runs should be drained first. */
  async close(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage({ kind: 'close' } satisfies ToWorker);
    const timer = setTimeout(() => void this.worker.terminate(), 5000);
    await exited;
    clearTimeout(timer);
  }
}
