import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { makeTempDir, removeDir } from '@aiaas/testing';
import { FileBlobStore } from './blob-store';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** `count` chunks of `size` bytes each, made on demand: the whole never exists in memory. */
async function* generated(count: number, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < count; i++) yield Buffer.alloc(size, i % 251);
}

describe('FileBlobStore', () => {
  let dataDir: string;
  let store: FileBlobStore;

  beforeEach(() => {
    dataDir = makeTempDir('blobs');
    store = new FileBlobStore(dataDir);
  });
  afterEach(() => removeDir(dataDir));

  const tmpFiles = (): string[] => (fs.existsSync(store.tmpDir) ? fs.readdirSync(store.tmpDir) : []);

  it('stages while hashing, then commits under blobs/sha256/<ab>/<hash>', async () => {
    const hash = createHash('sha256');
    for await (const chunk of generated(64, 64 * 1024)) hash.update(chunk);
    const staged = await store.put(generated(64, 64 * 1024), {
      maxBytes: 4 * 1024 * 1024,
    });
    expect(staged).toMatchObject({
      sha256: hash.digest('hex'),
      size: 4 * 1024 * 1024,
    });
    expect(path.dirname(staged.tempPath)).toBe(path.join(dataDir, 'blobs', 'tmp'));
    expect(await store.has(staged.sha256)).toBe(false);
    await store.commit(staged);
    expect(store.pathOf(staged.sha256)).toBe(
      path.join(dataDir, 'blobs', 'sha256', staged.sha256.slice(0, 2), staged.sha256),
    );
    expect(fs.statSync(store.pathOf(staged.sha256)).size).toBe(4 * 1024 * 1024);
    expect(tmpFiles()).toEqual([]);
  });

  it('keeps one file for the same bytes committed twice, and accepts a Readable', async () => {
    const bytes = Buffer.from('same bytes, twice');
    await store.commit(await store.put(Readable.from([bytes]), { maxBytes: 100 }));
    await store.commit(await store.put([bytes].values() as unknown as AsyncIterable<Uint8Array>, { maxBytes: 100 }));
    const shard = path.join(store.blobDir, sha256(bytes).slice(0, 2));
    expect(fs.readdirSync(shard)).toEqual([sha256(bytes)]);
    expect(tmpFiles()).toEqual([]);
  });

  it('aborts past maxBytes with RESOURCE_EXHAUSTED naming the limit, and removes the temp file', async () => {
    await expect(store.put(generated(10, 1000), { maxBytes: 2500 })).rejects.toMatchObject({
      name: 'ResourceExhaustedError',
      message: expect.stringContaining('limit of 2500 bytes') as unknown,
    });
    expect(tmpFiles()).toEqual([]);
    // Exactly at the limit is allowed.
    await expect(store.put(generated(10, 1000), { maxBytes: 10_000 })).resolves.toMatchObject({ size: 10_000 });
  });

  it('removes the temp file when the source fails', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield Buffer.alloc(10);
      throw new Error('connection reset');
    }
    await expect(store.put(failing(), { maxBytes: 100 })).rejects.toThrow('connection reset');
    expect(tmpFiles()).toEqual([]);
  });

  it('discards a staged blob', async () => {
    const staged = await store.put(generated(1, 10), { maxBytes: 100 });
    await store.discard(staged);
    expect(tmpFiles()).toEqual([]);
    expect(await store.has(staged.sha256)).toBe(false);
  });

  it('reads a blob whole or by range, and refuses bad hashes and ranges', async () => {
    const bytes = Buffer.from('0123456789abcdef');
    const staged = await store.put(Readable.from([bytes]), { maxBytes: 100 });
    await store.commit(staged);
    const read = async (range?: { start: number; end: number }) => {
      const chunks: Buffer[] = [];
      for await (const chunk of await store.openRead(staged.sha256, range)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString();
    };
    expect(await read()).toBe('0123456789abcdef');
    expect(await read({ start: 3, end: 7 })).toBe('3456');
    expect(await read({ start: 16, end: 16 })).toBe('');
    await expect(read({ start: 5, end: 3 })).rejects.toMatchObject({
      name: 'InvalidArgumentError',
    });
    await expect(read({ start: 0, end: 17 })).rejects.toMatchObject({
      name: 'InvalidArgumentError',
    });
    await expect(store.openRead('0'.repeat(64))).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expect(store.openRead('../../etc/passwd')).rejects.toMatchObject({
      name: 'InvalidArgumentError',
    });
    await expect(store.delete('../x')).rejects.toMatchObject({
      name: 'InvalidArgumentError',
    });
  });

  it('never renames or deletes a staged path outside its tmp folder', async () => {
    const outside = path.join(dataDir, 'precious');
    fs.writeFileSync(outside, 'keep me');
    const forged = { sha256: 'a'.repeat(64), size: 7, tempPath: outside };
    await expect(store.discard(forged)).rejects.toMatchObject({
      name: 'InvalidArgumentError',
    });
    await expect(store.commit(forged)).rejects.toMatchObject({
      name: 'InvalidArgumentError',
    });
    expect(fs.readFileSync(outside, 'utf8')).toBe('keep me');
  });

  it('deletes blobs and sweeps orphans, keeping referenced blobs', async () => {
    const keep = await store.put(Readable.from([Buffer.from('keep')]), {
      maxBytes: 100,
    });
    const drop = await store.put(Readable.from([Buffer.from('drop')]), {
      maxBytes: 100,
    });
    await store.commit(keep);
    await store.commit(drop);
    await store.put(Readable.from([Buffer.from('never committed')]), {
      maxBytes: 100,
    });
    const result = await store.sweepOrphans(new Set([keep.sha256]));
    expect(result).toEqual({
      tempFilesRemoved: 1,
      blobsRemoved: [drop.sha256],
    });
    expect(await store.has(keep.sha256)).toBe(true);
    expect(await store.has(drop.sha256)).toBe(false);
    await store.delete(keep.sha256);
    await store.delete(keep.sha256); // a missing blob is not an error
    expect(await store.has(keep.sha256)).toBe(false);
  });
});
