import { ROOT_CONTEXT } from '@opentelemetry/api';
import type { Context, ContextManager } from '@opentelemetry/api';
import type { ContextPropagation } from './config';

/**
 * A context manager that does not follow async continuations: a context is active only while the
 * function given to `with` (or a function made by `bind`) runs, synchronously. Code that needs a
 * context after an `await`, a timer or an event carries it by hand (`context.with(saved, ...)`).
 *
 * Why: on Node 20, AsyncLocalStorage (the SDK's default manager) turns on async hooks for the whole
 * process the first time any context is entered, and from then on every promise, tick and timer
 * pays a hook call, traced or not. The inference node needs no ambient context after its first
 * synchronous steps (a request's context is taken when it is queued, and a batch serves many
 * requests, so no one ambient context fits it), so it uses this manager and pays nothing per
 * async step (docs/decisions/telemetry.md has the figures).
 */
export class SynchronousContextManager implements ContextManager {
  private current: Context = ROOT_CONTEXT;

  active(): Context {
    return this.current;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const previous = this.current;
    this.current = context;
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.current = previous;
    }
  }

  /** Binds functions only: an EventEmitter is returned as it is (its listeners can be bound one by one). */
  bind<T>(context: Context, target: T): T {
    if (typeof target !== 'function') return target;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const manager = this;
    const fn = target as unknown as (...args: unknown[]) => unknown;
    return function (this: unknown, ...args: unknown[]) {
      return manager.with(context, () => fn.apply(this, args));
    } as unknown as T;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.current = ROOT_CONTEXT;
    return this;
  }
}

/** The context manager to register for `propagation`; undefined: the SDK's default (AsyncLocalStorage). */
export function contextManagerFor(propagation: ContextPropagation): ContextManager | undefined {
  return propagation === 'explicit' ? new SynchronousContextManager() : undefined;
}
