import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { UnavailableError } from '@aiaas/common';

/** A source of artifact bytes: the registry's DownloadVersion stream, as chunks. */
export type ArtifactSource = () => AsyncIterable<Uint8Array>;

/**
 * Model artifacts on local disk, by sha256: `<dir>/<sha256>.onnx`. A download streams to a temp
 * file while hashing and is renamed into place only when size and hash match, so a file under
 * its hash name is always complete and right.
 */
export class ArtifactCache {
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
    // Temp files of downloads a crash interrupted.
    for (const name of fs.readdirSync(dir)) if (name.startsWith('.tmp-')) fs.rmSync(path.join(dir, name), { force: true });
  }

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new UnavailableError(`invalid artifact hash "${sha256}"`);
    return path.join(this.dir, `${sha256}.onnx`);
  }

  /** The artifact's path, downloading it first unless it is cached. Concurrent calls share one download. */
  ensure(sha256: string, sizeBytes: number, source: ArtifactSource): Promise<string> {
    const target = this.pathOf(sha256);
    if (fs.existsSync(target)) return Promise.resolve(target);
    let pending = this.inFlight.get(sha256);
    if (!pending) {
      pending = this.download(sha256, sizeBytes, source, target).finally(() => this.inFlight.delete(sha256));
      this.inFlight.set(sha256, pending);
    }
    return pending;
  }

  private async download(sha256: string, sizeBytes: number, source: ArtifactSource, target: string): Promise<string> {
    const temp = path.join(this.dir, `.tmp-${randomUUID()}`);
    const hash = createHash('sha256');
    const out = fs.createWriteStream(temp);
    let size = 0;
    try {
      for await (const chunk of source()) {
        hash.update(chunk);
        size += chunk.length;
        if (!out.write(chunk)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'finish');
      const actual = hash.digest('hex');
      if (size !== sizeBytes || actual !== sha256) {
        throw new UnavailableError(
          `artifact download did not match: expected ${sizeBytes} bytes with sha256 ${sha256}, got ${size} bytes with sha256 ${actual}`,
        );
      }
      fs.renameSync(temp, target);
      return target;
    } catch (err) {
      out.destroy();
      fs.rmSync(temp, { force: true });
      throw err;
    }
  }
}
