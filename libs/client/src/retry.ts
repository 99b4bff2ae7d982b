import { AiaasError } from './errors';

/** How a call is retried: attempts after the first, back-off bounds, and the overall deadline. */
export interface RetryPolicy {
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Absolute time (ms since epoch) after which no attempt starts; Infinity for none. */
  deadline: number;
  signal?: AbortSignal | undefined;
}

/**
 * Runs `attempt` until it succeeds, fails with something `retryable` rejects, runs out of retries,
 * or the next back-off would end after the deadline. Back-off doubles from `baseDelayMs` up to
 * `maxDelayMs`, with "equal jitter" (half fixed, half random) so that many clients retrying after
 * one node restart do not come back in step, yet each waits a little at least.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  retryable: (err: unknown) => boolean,
  attempt: (attemptNumber: number) => Promise<T>,
): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (n >= policy.retries || !retryable(err)) throw err;
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** n);
      const delay = ceiling / 2 + Math.random() * (ceiling / 2);
      // No time left for another try: the last error says more than a DEADLINE_EXCEEDED would.
      if (Date.now() + delay >= policy.deadline) throw err;
      await sleep(delay, policy.signal);
    }
  }
}

/** Resolves after `ms`, or rejects with CANCELLED when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) return reject(cancelled(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Whether `signal` is aborted now (a function, so TypeScript does not narrow it across awaits). */
export function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/** The error of a call its caller aborted. */
export function cancelled(signal: AbortSignal): AiaasError {
  const reason: unknown = signal.reason;
  const text = reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'aborted';
  return new AiaasError('CANCELLED', `call cancelled by the caller (${text})`);
}
