import { ROOT_CONTEXT, context, trace } from '@opentelemetry/api';
import { installInMemoryTracing } from './in-memory-tracing';
import { RequestScope } from './request-scope';
import type { ContextPropagation } from './config';

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** What a scope must do either way: follow awaits and timers, nest, and re-enter a captured request. */
function behavesAsARequestScope(): void {
  it('follows the request through awaits and timers, nested scopes restoring the outer value', async () => {
    const scope = new RequestScope<string>('test');
    expect(scope.current()).toBeUndefined();
    const seen: (string | undefined)[] = [];
    await scope.run('outer', async () => {
      await tick();
      seen.push(scope.current());
      await scope.run('inner', async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        seen.push(scope.current());
      });
      seen.push(scope.current());
    });
    expect(seen).toEqual(['outer', 'inner', 'outer']);
    expect(scope.current()).toBeUndefined();
  });

  it('keeps two concurrent requests apart', async () => {
    const scope = new RequestScope<string>('test');
    const read = (value: string) =>
      scope.run(value, async () => {
        await tick();
        return scope.current();
      });
    expect(await Promise.all([read('a'), read('b')])).toEqual(['a', 'b']);
  });

  it('re-enters a captured request from work that starts outside it', async () => {
    const scope = new RequestScope<string>('test');
    const reenter = scope.run('request', () => scope.capture());
    const seen = await new Promise((resolve) => setImmediate(() => resolve(reenter(() => scope.current()))));
    expect(seen).toBe('request');
    // Captured outside any request: runs the function as it is.
    expect(scope.capture()(() => scope.current())).toBeUndefined();
  });
}

describe('RequestScope with tracing off (an AsyncLocalStorage of its own)', () => {
  behavesAsARequestScope();

  it('does not live in the trace context', () => {
    const scope = new RequestScope<string>('test');
    expect(scope.run('request', () => context.with(ROOT_CONTEXT, () => scope.current()))).toBe('request');
  });
});

/** Tracing registered with `propagation` for the enclosing describe block. */
function tracingDuringSuite(propagation: ContextPropagation): void {
  let tracing: ReturnType<typeof installInMemoryTracing>;
  beforeAll(() => {
    tracing = installInMemoryTracing(propagation);
  });
  afterAll(() => tracing.shutdown());
}

describe('RequestScope with tracing on AsyncLocalStorage (rides in the trace context)', () => {
  tracingDuringSuite('async');
  behavesAsARequestScope();

  it('lives in the trace context: a function run in the root trace context does not see it', () => {
    const scope = new RequestScope<string>('test');
    expect(scope.run('request', () => context.with(ROOT_CONTEXT, () => scope.current()))).toBeUndefined();
  });

  it('stores the value in the active trace context, keeping the span there', async () => {
    const scope = new RequestScope<string>('test');
    const span = trace.getTracer('test').startSpan('request');
    await context.with(trace.setSpan(context.active(), span), () =>
      scope.run('request', async () => {
        await tick();
        expect(trace.getActiveSpan()).toBe(span);
        expect(scope.current()).toBe('request');
      }),
    );
    span.end();
  });

  it('re-enters the trace context it captured along with the value', async () => {
    const scope = new RequestScope<string>('test');
    const span = trace.getTracer('test').startSpan('request');
    const reenter = context.with(trace.setSpan(context.active(), span), () =>
      scope.run('request', () => scope.capture()),
    );
    const seen = await new Promise<[unknown, unknown]>((resolve) =>
      setImmediate(() => resolve(reenter(() => [scope.current(), trace.getActiveSpan()]))),
    );
    expect(seen).toEqual(['request', span]);
    span.end();
  });
});

describe('RequestScope with the synchronous context manager (the node: an AsyncLocalStorage of its own)', () => {
  tracingDuringSuite('explicit');
  behavesAsARequestScope();
});
