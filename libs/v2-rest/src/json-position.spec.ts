import { locateJsonError } from './json-position';

describe('locateJsonError', () => {
  it('accepts valid JSON, including deep nesting, without recursion', () => {
    for (const text of ['{}', '[]', ' {"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"], "b": {}} ', '"s"', '0']) {
      expect(locateJsonError(text)).toBeUndefined();
    }
    expect(locateJsonError('['.repeat(100000) + ']'.repeat(100000))).toBeUndefined();
  });

  it('finds the first error with line and column', () => {
    expect(locateJsonError('{"a":}')).toEqual({ position: 5, line: 1, column: 6, reason: 'unexpected character "}"' });
    expect(locateJsonError('{\n "a": 1,\n}')).toMatchObject({ position: 11, line: 3, column: 1 });
    expect(locateJsonError('"abc')).toMatchObject({ position: 4, reason: 'unterminated string' });
    expect(locateJsonError('"a\\x"')).toMatchObject({ position: 2, reason: 'invalid character in string "\\\\"' });
    expect(locateJsonError('01')).toMatchObject({
      position: 1,
      reason: expect.stringContaining('unexpected content after the JSON value'),
    });
    expect(locateJsonError('['.repeat(3))).toMatchObject({ position: 3, reason: 'unexpected end of input' });
  });
});
