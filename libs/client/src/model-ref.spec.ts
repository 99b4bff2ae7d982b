import { formatModelRef, parseModelRef } from './model-ref';

describe('parseModelRef', () => {
  it('reads name, name@alias, name:version and objects', () => {
    expect(parseModelRef('mlp')).toEqual({ name: 'mlp', version: '', modelName: 'mlp' });
    expect(parseModelRef('mlp@production')).toEqual({ name: 'mlp', version: '', modelName: 'mlp@production' });
    expect(parseModelRef('mlp:12')).toEqual({ name: 'mlp', version: '12', modelName: 'mlp' });
    expect(parseModelRef({ name: 'mlp', version: 3 })).toEqual({ name: 'mlp', version: '3', modelName: 'mlp' });
    expect(parseModelRef({ name: 'mlp', alias: 'a' })).toEqual({ name: 'mlp', version: '', modelName: 'mlp@a' });
    expect(formatModelRef({ name: 'mlp', version: 2 })).toBe('mlp:2');
    expect(formatModelRef('mlp@b')).toBe('mlp@b');
  });

  it('refuses what is not a model reference, saying what was expected', () => {
    expect(() => parseModelRef('')).toThrow(/expected a model name/);
    expect(() => parseModelRef('mlp@')).toThrow(/expected an alias/);
    expect(() => parseModelRef('mlp:0')).toThrow(/positive integer version, got "0"/);
    expect(() => parseModelRef('mlp:x')).toThrow(/positive integer version, got "x"/);
    expect(() => parseModelRef('mlp@a:1')).toThrow(/not both/);
    expect(() => parseModelRef({ name: 'mlp', alias: 'a', version: 1 })).toThrow(/not both/);
  });
});
