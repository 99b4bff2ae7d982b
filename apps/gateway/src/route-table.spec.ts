import { createLogger } from '@aiaas/common';
import type { Route__Output } from '@aiaas/proto';
import { parseModelRef, RouteTable } from './route-table';

const route = (
  tenant: string,
  version: number,
  aliases: string[],
  endpoints: number,
  canaries: Route__Output['canaries'] = [],
): Route__Output => ({
  tenant,
  model: 'mlp',
  version: String(version),
  aliases,
  served_name: `${tenant}.mlp`,
  endpoints: Array.from({ length: endpoints }, (_, i) => ({
    node_id: `n${i}`,
    address: `127.0.0.1:${9000 + i}`,
    weight: 0,
  })),
  canaries,
});

describe('parseModelRef', () => {
  it('splits name@alias and refuses an alias with a version', () => {
    expect(parseModelRef('mlp', '')).toEqual({ model: 'mlp', selector: '' });
    expect(parseModelRef('mlp', '3')).toEqual({ model: 'mlp', selector: '3' });
    expect(parseModelRef('mlp@production')).toEqual({ model: 'mlp', selector: 'production' });
    expect(() => parseModelRef('mlp@production', '2')).toThrow(/not both/);
    expect(() => parseModelRef('@x')).toThrow(/name@alias/);
  });
});

describe('RouteTable.resolve', () => {
  // A client that is never connected: update() is driven by hand.
  const table = new RouteTable({
    registryAddress: '127.0.0.1:1',
    logger: createLogger({ service: 't', level: 'silent' }),
  });
  afterAll(() => table.close());
  table.update([route('acme', 1, ['production'], 2), route('acme', 2, ['staging'], 1), route('acme', 3, [], 0)]);

  it('resolves by version, alias, and "" as the highest version with ready replicas', () => {
    expect(table.resolve('acme', 'mlp', '1').servedName).toBe('acme.mlp');
    expect(table.resolve('acme', 'mlp', 'production').version).toBe(1);
    expect(table.resolve('acme', 'mlp', '').version).toBe(2);
    expect(() => table.resolve('acme', 'mlp', '3')).toThrow(/no ready replica/);
  });

  it('answers another tenant exactly as a missing model', () => {
    const message = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return (err as Error & { code: string }).code + ' ' + (err as Error).message;
      }
      return 'no error';
    };
    expect(message(() => table.resolve('other', 'mlp', ''))).toBe(
      'NOT_FOUND model "mlp" not found: no deployment serves it',
    );
    expect(message(() => table.resolve('acme', 'nope', '')).replace('nope', 'mlp')).toBe(
      message(() => table.resolve('other', 'mlp', '')),
    );
    expect(table.versions('acme', 'mlp')).toEqual([1, 2, 3]);
  });
});

describe('RouteTable while the only replica restarts', () => {
  it('answers UNAVAILABLE (retry) for a routed model with no endpoints, and NOT_FOUND to another tenant', () => {
    const table = new RouteTable({
      registryAddress: '127.0.0.1:1',
      logger: createLogger({ service: 't', level: 'silent' }),
    });
    try {
      // The registry keeps a targeted version routed, with no endpoints, while its node restarts.
      table.update([route('acme', 1, ['production'], 0)]);
      const failure = (selector: string, tenant = 'acme') => {
        try {
          table.resolve(tenant, 'mlp', selector);
        } catch (err) {
          return { code: (err as { code: string }).code, message: (err as Error).message };
        }
        return undefined;
      };
      const unavailable = {
        code: 'UNAVAILABLE',
        message: 'model "mlp" version 1 has no ready replica; retry later',
      };
      expect(failure('')).toEqual(unavailable);
      expect(failure('1')).toEqual(unavailable);
      expect(failure('production')).toEqual(unavailable);
      expect(failure('', 'globex')).toEqual({
        code: 'NOT_FOUND',
        message: 'model "mlp" not found: no deployment serves it',
      });
      expect(failure('2')?.code).toBe('NOT_FOUND');
      // Back up: served again; "" prefers the ready version over a higher one still loading.
      table.update([route('acme', 1, ['production'], 1), route('acme', 2, [], 0)]);
      expect(table.resolve('acme', 'mlp', '').version).toBe(1);
      expect(table.resolve('acme', 'mlp', 'production').endpoints).toHaveLength(1);
    } finally {
      table.close();
    }
  });
});

describe('RouteTable canary split', () => {
  const logger = createLogger({ service: 't', level: 'silent' });
  /** A table whose draws walk 0, 0.001, …, 0.999: exactly 1000 evenly spread draws per cycle. */
  const tableWith = (percent: number, canaryEndpoints = 1): RouteTable => {
    let draw = 0;
    const table = new RouteTable({
      registryAddress: '127.0.0.1:1',
      logger,
      random: () => (draw++ % 1000) / 1000,
    });
    table.update([
      route('acme', 1, ['production'], 2, [{ alias: 'production', version: '2', percent }]),
      route('acme', 2, [], canaryEndpoints),
    ]);
    return table;
  };
  const versionsOf = (table: RouteTable, selector: string, n = 1000): Map<number, number> => {
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const version = table.resolve('acme', 'mlp', selector).version;
      counts.set(version, (counts.get(version) ?? 0) + 1);
    }
    table.close();
    return counts;
  };

  it('sends exactly the configured share of alias requests to the canary version', () => {
    expect(versionsOf(tableWith(10), 'production')).toEqual(
      new Map([
        [1, 900],
        [2, 100],
      ]),
    );
    expect(versionsOf(tableWith(37), 'production')).toEqual(
      new Map([
        [1, 630],
        [2, 370],
      ]),
    );
  });

  it('0% sends nothing to the canary and 100% everything', () => {
    expect(versionsOf(tableWith(0), 'production')).toEqual(new Map([[1, 1000]]));
    expect(versionsOf(tableWith(100), 'production')).toEqual(new Map([[2, 1000]]));
  });

  it('keeps everything on the alias version while the canary has no ready replica', () => {
    expect(versionsOf(tableWith(100, 0), 'production')).toEqual(new Map([[1, 1000]]));
  });

  it('leaves version and default requests alone', () => {
    expect(versionsOf(tableWith(100), '1')).toEqual(new Map([[1, 1000]]));
    expect(versionsOf(tableWith(100), '')).toEqual(new Map([[2, 1000]]));
  });
});
