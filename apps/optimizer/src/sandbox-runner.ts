import type { ForkOptions } from 'node:child_process';
import path from 'node:path';
import { ChildCommand, ChildPool, ParentCommand } from 'bullmq';
import type { Child, Job } from 'bullmq';
import { JobFailedError } from './job-errors';
import type { JobStepEvent, OptimizeJobData, OptimizeJobResult } from './run-optimize-job';

/**
 * The job data a sandbox gets: the queue's, plus the W3C headers of the worker's `optimizer.job`
 * span, which the sandbox (no OpenTelemetry SDK there) sends on its calls to the registry.
 */
export type SandboxJobData = OptimizeJobData & { traceContext: Record<string, string> };

/** What the sandbox sends through `job.updateProgress` for each step (see optimize-processor.ts). */
export interface StepMessage {
  optimizerStep: JobStepEvent;
}

function isStepMessage(value: unknown): value is StepMessage {
  return typeof value === 'object' && value !== null && 'optimizerStep' in value;
}

/** Why a sandbox run was stopped from outside. */
export class JobTimeoutError extends JobFailedError {
  constructor(readonly seconds: number) {
    super(`timed out after ${seconds} s`);
  }
}

/**
 * BullMQ's sandboxed processors (a pool of forked `bullmq/.../main.js` children loading the
 * processor file, one job at a time each), run by the worker itself rather than by BullMQ's
 * sandbox() so that it can (1) kill a child whose job runs past its timeout and fail the job as
 * not retryable, and (2) read the step events the child sends as progress messages (spans and
 * metrics are made here, in the worker). Same protocol, same child, same crash handling: a child
 * that exits mid-job fails that job ("exit code …") and the pool forks a new one.
 */
export class SandboxRunner {
  readonly #pool: ChildPool;
  readonly #file: string;

  constructor(file: string, forkOptions: ForkOptions) {
    this.#file = file;
    // BullMQ's own child entry point, beside its index (dist/cjs/classes/main.js).
    const mainFile = path.join(path.dirname(require.resolve('bullmq')), 'classes', 'main.js');
    this.#pool = new ChildPool({ mainFile, useWorkerThreads: false, workerForkOptions: forkOptions });
  }

  /**
   * Runs `job` in a pooled child with `data` as its job data (the worker adds its job span's trace headers),
   * killing it after `timeoutSeconds`.
   *
   * @throws JobTimeoutError (not retried) when the timeout fired; the child's error otherwise
   */
  async run(
    job: Job<OptimizeJobData, OptimizeJobResult>,
    token: string | undefined,
    data: SandboxJobData,
    options: { timeoutSeconds: number; onStep?: (event: JobStepEvent) => void },
  ): Promise<OptimizeJobResult> {
    const child: Child = await this.#pool.retain(this.#file);
    return new Promise<OptimizeJobResult>((resolve, reject) => {
      let settled = false;
      let timedOut = false;
      const settle = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (child.exitCode === null && child.signalCode === null && !timedOut) this.#pool.release(child);
        outcome();
      };
      const onExit = (exitCode: number | null, signal: string | null): void =>
        settle(() =>
          reject(
            timedOut
              ? new JobTimeoutError(options.timeoutSeconds)
              : new Error(`sandbox exited unexpectedly (exit code ${exitCode}, signal ${signal})`),
          ),
        );
      const onMessage = (message: { cmd: ParentCommand; value?: unknown; err?: unknown }): void => {
        switch (message.cmd) {
          case ParentCommand.Completed:
            settle(() => resolve(message.value as OptimizeJobResult));
            break;
          case ParentCommand.Failed:
          case ParentCommand.Error:
            // The child sends the error's own properties (name included: UnrecoverableError stays one).
            settle(() => reject(Object.assign(new Error(), message.value ?? message.err)));
            break;
          case ParentCommand.Progress:
            if (isStepMessage(message.value)) options.onStep?.(message.value.optimizerStep);
            break;
          default:
            break;
        }
      };
      const timer = setTimeout(() => {
        timedOut = true;
        // SIGKILL: a pass stuck in synchronous code never reads a polite message.
        this.#pool.kill(child, 'SIGKILL').catch(() => undefined);
      }, options.timeoutSeconds * 1000);
      timer.unref();
      child.on('message', onMessage);
      child.on('exit', onExit);
      const sandboxJob = { ...job.asJSONSandbox(), data: JSON.stringify(data) };
      child
        .send({ cmd: ChildCommand.Start, job: sandboxJob, token })
        .catch((err: unknown) => settle(() => reject(err instanceof Error ? err : new Error(String(err)))));
    });
  }

  /** Ends every child (idle ones and, after close() waited for the jobs, none busy). */
  close(): Promise<void> {
    return this.#pool.clean();
  }
}
