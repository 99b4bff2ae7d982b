import { createLogger } from '@aiaas/common';
import type { Route__Output } from '@aiaas/proto';
import { parseModelRef, RouteTable } from './route-table';

const route = (tenant: string, version: number, aliases: string[], endpoints: number): Route__Output => ({
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
