import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { InvalidArgumentError, NotFoundError, ResourceExhaustedError } from '@aiaas/common';

/** Limits applied while a blob streams in. */
export interface BlobLimits {
  /** The most bytes the blob may have; one byte more aborts the upload. */
  maxBytes: number;
}

/**
 * A blob that has been received, hashed and made durable, but is not yet visible under its hash.
 * Exactly one of {@link BlobStore.commit} or {@link BlobStore.discard} must follow.
 */
export interface StagedBlob {
  /** Lower-case hex sha256 of the bytes. */
  sha256: string;
  size: number;
  /** A local file holding the bytes, for validation before commit. */
  tempPath: string;
}

/** A byte range of a blob: `start` inclusive, `end` exclusive (like `Buffer.subarray`). */
export interface ByteRange {
  start: number;
  end: number;
}

/** What {@link BlobStore.sweepOrphans} removed. */
export interface SweepResult {
  tempFilesRemoved: number;
  /** The hashes of the blobs removed. */
  blobsRemoved: string[];
}

/**
 * Content-addressed artifact storage: a blob's name is the sha256 of its bytes, so the same bytes
 * stored twice are one blob. Narrow on purpose, so that an S3-compatible store can stand in for
 * the file system one.
 */
export interface BlobStore {
  /**
   * Streams bytes to a staging area while hashing them; never holds the whole blob in memory.
   * @throws ResourceExhaustedError past `limits.maxBytes`; nothing is left behind on any failure
   */
  put(source: AsyncIterable<Uint8Array> | Readable, limits: BlobLimits): Promise<StagedBlob>;
  /** Makes a staged blob readable under its hash (a no-op beyond dropping the copy if it already is). */
  commit(staged: StagedBlob): Promise<void>;
  /** Drops a staged blob that will not be committed. */
  discard(staged: StagedBlob): Promise<void>;
  /**
   * Opens a blob (or a range of it) for reading.
   * @throws NotFoundError when no blob has that hash; InvalidArgumentError for a bad hash or range
   */
  openRead(sha256: string, range?: ByteRange): Promise<Readable>;
  /** Removes a blob; removing a missing one is not an error. */
  delete(sha256: string): Promise<void>;
  has(sha256: string): Promise<boolean>;
  /**
   * Removes every staged (temporary) file and every blob whose hash is not in `referenced`:
   * what an upload interrupted by a crash leaves. Run it at start, before serving uploads.
   */
  sweepOrphans(referenced: ReadonlySet<string>): Promise<SweepResult>;
}

const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/**
 * Bytes per read of a blob: DownloadVersion's message size, so that each read becomes one message
 * as it is (the 64 KiB default meant 16 reads and a concatenating copy per message).
 */
const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * Blobs as files: `<dataDir>/blobs/sha256/<first two hex digits>/<hash>`, staged in
 * `<dataDir>/blobs/tmp/` (the same file system, so the final rename is atomic).
 */
export class FileBlobStore implements BlobStore {
  readonly root: string;
  readonly tmpDir: string;
  readonly blobDir: string;

  /** @param dataDir the registry's data dir; blobs live in its `blobs/` folder */
  constructor(dataDir: string) {
    this.root = path.join(dataDir, 'blobs');
    this.tmpDir = path.join(this.root, 'tmp');
    this.blobDir = path.join(this.root, 'sha256');
  }

  /** Where the blob with this hash lives (whether or not it exists). */
  pathOf(sha256: string): string {
    checkHash(sha256);
    return path.join(this.blobDir, sha256.slice(0, 2), sha256);
  }

  async put(source: AsyncIterable<Uint8Array> | Readable, limits: BlobLimits): Promise<StagedBlob> {
    const { maxBytes } = limits;
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
      throw new InvalidArgumentError(`maxBytes: expected a non-negative integer, got ${maxBytes}`);
    }
    await fs.promises.mkdir(this.tmpDir, { recursive: true });
    const tempPath = path.join(this.tmpDir, `${randomUUID()}.part`);
    const file = await fs.promises.open(tempPath, 'wx');
    const hash = createHash('sha256');
    let size = 0;
    let closed = false;
    try {
      // Leaving the loop early (a throw) calls the iterator's return(), which destroys a Readable source.
      for await (const item of source as AsyncIterable<unknown>) {
        const chunk = toBytes(item);
        size += chunk.byteLength;
        if (size > maxBytes) {
          throw new ResourceExhaustedError(
            `artifact is larger than the limit of ${maxBytes} bytes (maxBytes); received ${size} bytes so far`,
            { maxBytes },
          );
        }
        // Hash while the write runs in the thread pool rather than one after the other.
        const writing = writeFully(file, chunk);
        hash.update(chunk);
        await writing;
      }
      await file.sync();
      closed = true;
      await file.close();
      return { sha256: hash.digest('hex'), size, tempPath };
    } catch (err) {
      if (!closed) await file.close().catch(() => undefined);
      await fs.promises.rm(tempPath, { force: true });
      throw err;
    }
  }

  async commit(staged: StagedBlob): Promise<void> {
    const target = this.pathOf(staged.sha256);
    this.checkStaged(staged);
    const dir = path.dirname(target);
    await fs.promises.mkdir(dir, { recursive: true });
    // rename replaces atomically: a concurrent commit of the same bytes is harmless.
    await fs.promises.rename(staged.tempPath, target);
    await syncDir(dir);
  }

  async discard(staged: StagedBlob): Promise<void> {
    this.checkStaged(staged);
    await fs.promises.rm(staged.tempPath, { force: true });
  }

  async openRead(sha256: string, range?: ByteRange): Promise<Readable> {
    const file = this.pathOf(sha256);
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(file, 'r');
    } catch (err) {
      if (isErrno(err, 'ENOENT')) throw new NotFoundError(`blob sha256:${sha256} not found`);
      throw err;
    }
    try {
      const { size } = await handle.stat();
      if (range === undefined) return handle.createReadStream({ autoClose: true, highWaterMark: READ_CHUNK_BYTES });
      const { start, end } = range;
      if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start || end > size) {
        throw new InvalidArgumentError(
          `byte range: expected 0 <= start <= end <= ${size} (end exclusive), got start ${start}, end ${end}`,
        );
      }
      // createReadStream's `end` is inclusive; an empty range reads nothing.
      if (start === end) {
        await handle.close();
        return Readable.from([]);
      }
      return handle.createReadStream({ start, end: end - 1, autoClose: true, highWaterMark: READ_CHUNK_BYTES });
    } catch (err) {
      await handle.close().catch(() => undefined);
      throw err;
    }
  }

  async delete(sha256: string): Promise<void> {
    await fs.promises.rm(this.pathOf(sha256), { force: true });
  }

  async has(sha256: string): Promise<boolean> {
    try {
      return (await fs.promises.stat(this.pathOf(sha256))).isFile();
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return false;
      throw err;
    }
  }

  async sweepOrphans(referenced: ReadonlySet<string>): Promise<SweepResult> {
    let tempFilesRemoved = 0;
    for (const name of await listDir(this.tmpDir)) {
      await fs.promises.rm(path.join(this.tmpDir, name), {
        force: true,
        recursive: true,
      });
      tempFilesRemoved++;
    }
    const blobsRemoved: string[] = [];
    for (const prefix of await listDir(this.blobDir)) {
      const dir = path.join(this.blobDir, prefix);
      for (const name of await listDir(dir)) {
        if (referenced.has(name)) continue;
        await fs.promises.rm(path.join(dir, name), {
          force: true,
          recursive: true,
        });
        blobsRemoved.push(name);
      }
    }
    return { tempFilesRemoved, blobsRemoved };
  }

  /** A staged blob's temp file must be one of ours: never rename or delete anything else. */
  private checkStaged(staged: StagedBlob): void {
    checkHash(staged.sha256);
    if (path.dirname(path.resolve(staged.tempPath)) !== path.resolve(this.tmpDir)) {
      throw new InvalidArgumentError(`staged blob: ${staged.tempPath} is not in ${this.tmpDir}`);
    }
  }
}

function toBytes(item: unknown): Uint8Array {
  if (item instanceof Uint8Array) return item;
  if (typeof item === 'string') return Buffer.from(item, 'utf8');
  throw new InvalidArgumentError(`artifact stream: expected byte chunks (Uint8Array), got ${typeof item}`);
}

function checkHash(sha256: string): void {
  if (!SHA256_PATTERN.test(sha256)) {
    throw new InvalidArgumentError(`sha256: expected 64 lower-case hex digits, got "${sha256.slice(0, 80)}"`);
  }
}

async function writeFully(file: fs.promises.FileHandle, chunk: Uint8Array): Promise<void> {
  let written = 0;
  while (written < chunk.byteLength) {
    const { bytesWritten } = await file.write(chunk, written, chunk.byteLength - written);
    written += bytesWritten;
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await fs.promises.readdir(dir);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return [];
    throw err;
  }
}

/** Makes a rename durable; best effort, as some file systems cannot fsync a directory. */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await fs.promises.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The data itself was fsynced before the rename; only the name may be lost on a power cut.
  }
}

function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}
