import { checkAliasName, checkModelName, checkTags, parseTagFilter, unsafeExternalLocation } from './validation';
import { checkPageSize, decodePageToken, encodePageToken } from './page-token';
import { KeyedMutex } from './keyed-mutex';

describe('unsafeExternalLocation', () => {
  it.each(['weights.bin', 'data/weights.bin', 'a..b', 'x/..y'])('accepts %j', (location) => {
    expect(unsafeExternalLocation(location)).toBeUndefined();
  });
  it.each([
    ['/etc/passwd', 'absolute'],
    ['C:\\weights.bin', 'absolute'],
    ['\\\\server\\share\\w', 'absolute'],
    ['../x', "'..'"],
    ['a/../../b', "'..'"],
    ['a\\..\\b', "'..'"],
    ['w\0.bin', 'NUL'],
  ])('rejects %j', (location, why) => {
    expect(unsafeExternalLocation(location)).toContain(why);
  });
});

describe('names and tags', () => {
  it('accepts good names and refuses bad ones with what was expected', () => {
    expect(checkModelName('resnet-50.v1_b')).toBe('resnet-50.v1_b');
    expect(() => checkModelName('a/b')).toThrow(/model name "a\/b": expected 1-128 letters/);
    expect(checkAliasName('production')).toBe('production');
    expect(() => checkAliasName('3')).toThrow(/starting with a letter/);
    expect(checkTags({ 'k8s.io/arch': 'x86' })).toEqual({
      'k8s.io/arch': 'x86',
    });
    expect(() => checkTags(Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v'])))).toThrow(
      /at most 64/,
    );
    expect(parseTagFilter('team=a=b')).toEqual({ key: 'team', value: 'a=b' });
    expect(() => parseTagFilter('=x')).toThrow(/expected key=value/);
  });
});

describe('page tokens', () => {
  it("round-trips and refuses another listing's token", () => {
    const token = encodePageToken('models', 'm-03');
    expect(decodePageToken<string>('models', token, 'string')).toBe('m-03');
    expect(decodePageToken<string>('models', '', 'string')).toBeUndefined();
    expect(() => decodePageToken<number>('audit', token, 'number')).toThrow(/page token/);
    expect(checkPageSize(undefined)).toBe(50);
    expect(checkPageSize(5000)).toBe(1000);
    expect(() => checkPageSize(-1)).toThrow(/non-negative integer/);
  });
});

describe('KeyedMutex', () => {
  it('runs sections of one key one at a time, in order, and forgets idle keys', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const section = (name: string, key: string) =>
      mutex.run(key, async () => {
        log.push(`${name}:start`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        log.push(`${name}:end`);
      });
    await Promise.all([section('a', 'k'), section('b', 'k'), section('c', 'other')]);
    expect(log.indexOf('a:end')).toBeLessThan(log.indexOf('b:start'));
    expect(log.indexOf('c:start')).toBeLessThan(log.indexOf('a:end'));
    await expect(
      mutex.run('k', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(mutex.run('k', async () => 7)).resolves.toBe(7);
    expect(mutex.size).toBe(0);
  });
});
