import { AsyncLocalStorage } from 'node:async_hooks';
import { context, createContextKey } from '@opentelemetry/api';

let sharesTraceContext = false;

/**
 * Called with true once the registered OpenTelemetry context manager follows async continuations
 * (AsyncLocalStorage: startTelemetry with `async` propagation, installInMemoryTracing('async')), and
 * with false when it is unregistered. Request scopes created before or after use it from then on.
 */
export function setRequestScopesShareTraceContext(on: boolean): void {
  sharesTraceContext = on;
}

/**
 * A value that follows one request through its async work (`AsyncLocalStorage`'s job), and that
 * lives in the OpenTelemetry context when tracing runs on AsyncLocalStorage.
 *
 * Why: on Node 20 every AsyncLocalStorage in use costs a lookup and a store on every promise, tick
 * and timer the process creates (about 40,000 instructions per gateway request for a second one,
 * measured under callgrind; docs/decisions/telemetry.md). With tracing on, the context manager's own
 * AsyncLocalStorage already follows every request, so a service's request state rides in its
 * context instead of paying for a second one. With tracing off (or the node's synchronous manager)
 * the scope keeps an AsyncLocalStorage of its own.
 */
export class RequestScope<T> {
  readonly #key: symbol;
  readonly #own = new AsyncLocalStorage<T>();

  /** `name` labels the context key (debugging only). */
  constructor(name: string) {
    this.#key = createContextKey(name);
  }

  /** Runs `fn` with `value` as the current one, on top of the active trace context. */
  run<R>(value: T, fn: () => R): R {
    if (!sharesTraceContext) return this.#own.run(value, fn);
    return context.with(context.active().setValue(this.#key, value), fn);
  }

  /** The value of the request being served, if any. */
  current(): T | undefined {
    if (!sharesTraceContext) return this.#own.getStore();
    return context.active().getValue(this.#key) as T | undefined;
  }

  /**
   * What is current here, value and trace context both, as a function that runs another function in
   * it later: for work that resumes from an event outside the request (a body read from the socket).
   */
  capture(): <R>(fn: () => R) => R {
    if (!sharesTraceContext) {
      const value = this.#own.getStore();
      return value === undefined ? (fn) => fn() : (fn) => this.#own.run(value, fn);
    }
    const saved = context.active();
    return (fn) => context.with(saved, fn);
  }
}
