import { z } from 'zod';
import { ConfigError, parseWithSchema } from './config';

describe('parseWithSchema', () => {
  const schema = z.object({ port: z.number().int().min(0), host: z.string().min(1) });

  it('returns typed settings', () => {
    expect(parseWithSchema(schema, { port: 1, host: 'h' }, 'settings')).toEqual({ port: 1, host: 'h' });
  });

  it('lists every invalid key at once', () => {
    let caught: unknown;
    try {
      parseWithSchema(schema, { port: -1, host: '' }, 'settings');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems;
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/port/);
    expect(problems.join('\n')).toMatch(/host/);
  });
});
