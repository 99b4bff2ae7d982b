import { ROOT_CONTEXT, createContextKey } from '@opentelemetry/api';
import { SynchronousContextManager } from './synchronous-context-manager';

const KEY = createContextKey('test key');
const withValue = (value: string) => ROOT_CONTEXT.setValue(KEY, value);

describe('SynchronousContextManager', () => {
  const manager = new SynchronousContextManager();

  it('makes a context active for the synchronous call only, nested calls restoring the outer one', () => {
    expect(manager.active()).toBe(ROOT_CONTEXT);
    const seen: unknown[] = [];
    const result = manager.with(
      withValue('outer'),
      (suffix: string) => {
        seen.push(manager.active().getValue(KEY));
        manager.with(withValue('inner'), () => seen.push(manager.active().getValue(KEY)));
        seen.push(manager.active().getValue(KEY));
        return `done${suffix}`;
      },
      undefined,
      '!',
    );
    expect(result).toBe('done!');
    expect(seen).toEqual(['outer', 'inner', 'outer']);
    expect(manager.active()).toBe(ROOT_CONTEXT);
  });

  it('restores the previous context when the function throws', () => {
    expect(() =>
      manager.with(withValue('failing'), () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(manager.active()).toBe(ROOT_CONTEXT);
  });

  it('does not follow an await: code after it carries the context by hand', async () => {
    const after = await manager.with(withValue('request'), async () => {
      await Promise.resolve();
      return manager.active().getValue(KEY);
    });
    expect(after).toBeUndefined();
  });

  it('binds a function to a context, keeping its this and arguments, and leaves other values as they are', () => {
    const target = {
      prefix: 'p:',
      read(this: { prefix: string }, x: number) {
        return `${this.prefix}${x}:${String(manager.active().getValue(KEY))}`;
      },
    };
    const bound = manager.bind(withValue('bound'), target.read);
    expect(bound.call(target, 1)).toBe('p:1:bound');
    expect(manager.active()).toBe(ROOT_CONTEXT);
    const emitter = { on: () => undefined };
    expect(manager.bind(withValue('x'), emitter)).toBe(emitter);
  });

  it('is back at the root context once disabled', () => {
    const other = new SynchronousContextManager();
    other.with(withValue('x'), () => {
      other.disable();
      expect(other.active()).toBe(ROOT_CONTEXT);
    });
  });
});
