import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { callerMetadata } from '@aiaas/common';
import { MLP_SMALL, buildMlp } from '@aiaas/onnx';
import {
  chunksOf,
  createRegistryClient,
  makeTempDir,
  registryCall,
  removeDir,
  spawnCli,
  uploadVersion,
  writeWithBackPressure,
} from '@aiaas/testing';
import type { CliProcess, RegistryClient } from '@aiaas/testing';

const READY_LINE = /registry on 127\.0\.0\.1:(\d+) \(gRPC\), metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/;
const md = callerMetadata({ tenant: 'acme', principal: 'e2e' }, undefined);

/** Every file (not folder) under `dir`, recursively, relative to it. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

async function startRegistry(
  dataDir: string,
): Promise<{ cli: CliProcess; client: RegistryClient; metricsPort: number }> {
  const cli = spawnCli([
    'registry',
    '--data-dir',
    dataDir,
    '--grpc-port',
    '0',
    '--metrics-port',
    '0',
    '--host',
    '127.0.0.1',
  ]);
  const match = await cli.waitFor(READY_LINE);
  return { cli, client: createRegistryClient(Number(match[1])), metricsPort: Number(match[2]) };
}

describe('aiaas registry (a real process)', () => {
  let dataDir: string;
  const running: CliProcess[] = [];

  beforeAll(() => {
    dataDir = makeTempDir('e2e-registry');
  });

  afterAll(async () => {
    for (const cli of running) await cli.stop('SIGKILL');
    removeDir(dataDir);
  });

  it('survives kill -9 in the middle of an upload: the first version stays, the second and its bytes are gone', async () => {
    const first = await startRegistry(dataDir);
    running.push(first.cli);
    const model = buildMlp(MLP_SMALL).bytes;
    await registryCall(first.client, 'CreateModel', { name: 'mlp' }, md);
    const { version } = await uploadVersion(first.client, md, { model: 'mlp' }, chunksOf(model, 4096));
    expect(version).toMatchObject({ version: '1', sha256: createHash('sha256').update(model).digest('hex') });

    // A second, large upload streamed slowly; the registry is killed while it is on disk half-way.
    const call = first.client.UploadVersion(md, () => undefined);
    call.on('error', () => undefined);
    await writeWithBackPressure(call, { header: { model: 'mlp' } });
    const tmpDir = path.join(dataDir, 'blobs', 'tmp');
    const big = randomBytes(256 * 1024);
    let partial = 0;
    for (let i = 0; i < 400 && partial < 512 * 1024; i++) {
      await writeWithBackPressure(call, { chunk: big });
      await sleep(10);
      partial = filesUnder(tmpDir).reduce((sum, name) => sum + fs.statSync(path.join(tmpDir, name)).size, 0);
    }
    expect(partial).toBeGreaterThanOrEqual(512 * 1024); // the upload was really in progress
    expect(await first.cli.stop('SIGKILL')).toBeNull();
    first.client.close();
    expect(filesUnder(tmpDir)).toHaveLength(1); // what the crash left

    const second = await startRegistry(dataDir);
    running.push(second.cli);
    const listed = await registryCall(second.client, 'ListVersions', { model: 'mlp' }, md);
    expect(listed.versions.map((v) => v.version)).toEqual(['1']);
    expect(filesUnder(tmpDir)).toEqual([]);
    const hash = version!.sha256;
    expect(filesUnder(path.join(dataDir, 'blobs'))).toEqual([path.join('sha256', hash.slice(0, 2), hash)]);
    // Still taking uploads: the next one is version 2.
    const next = await uploadVersion(second.client, md, { model: 'mlp' }, [buildMlp({ ...MLP_SMALL, seed: 2 }).bytes]);
    expect(next.version!.version).toBe('2');
    second.client.close();

    // SIGTERM: graceful, exit 0.
    expect(await second.cli.stop('SIGTERM')).toBe(0);
  });
});
