import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir, removeDir } from '@aiaas/testing';
import { ArtifactCache } from './artifact-cache';

const bytes = Buffer.from('a model, in three chunks');
const sha = createHash('sha256').update(bytes).digest('hex');

function source(data: Buffer, calls: { count: number }) {
  return async function* (): AsyncIterable<Uint8Array> {
    calls.count++;
    for (let i = 0; i < data.length; i += 9) {
      await new Promise((resolve) => setImmediate(resolve));
      yield data.subarray(i, i + 9);
    }
  };
}

describe('ArtifactCache', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir('artifacts')));
  afterEach(() => removeDir(dir));

  it('downloads once, verifies the hash, and serves later calls from disk', async () => {
    const cache = new ArtifactCache(dir);
    const calls = { count: 0 };
    const [a, b] = await Promise.all([cache.ensure(sha, bytes.length, source(bytes, calls)), cache.ensure(sha, bytes.length, source(bytes, calls))]);
    expect(a).toBe(path.join(dir, `${sha}.onnx`));
    expect(b).toBe(a);
    expect(fs.readFileSync(a).equals(bytes)).toBe(true);
    await cache.ensure(sha, bytes.length, source(bytes, calls));
    expect(calls.count).toBe(1);
  });

  it('refuses bytes that do not match, leaving nothing behind', async () => {
    const cache = new ArtifactCache(dir);
    const corrupt = Buffer.from(bytes);
    corrupt[3] = 0;
    await expect(cache.ensure(sha, bytes.length, source(corrupt, { count: 0 }))).rejects.toThrow(
      new RegExp(`expected ${bytes.length} bytes with sha256 ${sha}, got ${bytes.length} bytes with sha256 [0-9a-f]{64}`),
    );
    await expect(cache.ensure(sha, bytes.length + 1, source(bytes, { count: 0 }))).rejects.toThrow(/did not match/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('clears temp files a crash left and refuses malformed hashes', () => {
    fs.writeFileSync(path.join(dir, '.tmp-123'), 'partial');
    const cache = new ArtifactCache(dir);
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(() => cache.pathOf('../../etc/passwd')).toThrow(/invalid artifact hash/);
  });
});
