import fs from 'node:fs';
import path from 'node:path';
import { credentials, loadPackageDefinition } from '@grpc/grpc-js';
import type { ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { callerMetadata, createLogger } from '@aiaas/common';
import { MLP_SMALL, buildMlp } from '@aiaas/onnx';
import {
  chunksOf,
  createRegistryClient,
  downloadVersion,
  makeTempDir,
  registryCall,
  removeDir,
  uploadVersion,
} from '@aiaas/testing';
import { loadRegistryConfig } from './config';
import { startRegistry } from './server';
import type { RunningRegistry } from './server';

describe('startRegistry (SQLite, real ports)', () => {
  let dataDir: string;
  let running: RunningRegistry;

  beforeAll(async () => {
    dataDir = makeTempDir('registry-server');
    // What a crash mid-upload leaves: a temp file. The start must sweep it.
    fs.mkdirSync(path.join(dataDir, 'blobs', 'tmp'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'blobs', 'tmp', 'left-over.part'), 'partial');
    const config = loadRegistryConfig(
      { dataDir, grpcPort: 0, metricsPort: 0 },
      { AIAAS_REGISTRY_MAX_ARTIFACT_BYTES: '1000000' },
    );
    running = await startRegistry(config, createLogger({ service: 'registry', level: 'silent' }));
  });

  afterAll(async () => {
    await running?.close();
    removeDir(dataDir);
  });

  it('reads flags over environment variables and lists every bad setting at once', () => {
    const config = loadRegistryConfig(
      { grpcPort: '7000' },
      { AIAAS_REGISTRY_GRPC_PORT: '6000', AIAAS_REGISTRY_HOST: '0.0.0.0', DATABASE_URL: '' },
    );
    expect(config).toMatchObject({
      grpcPort: 7000,
      host: '0.0.0.0',
      dataDir: './.aiaas',
      metricsPort: 9101,
      maxArtifactBytes: 2 ** 31,
    });
    expect(config.databaseUrl).toBeUndefined();
    expect(() => loadRegistryConfig({ grpcPort: 'x', metricsPort: '70000' })).toThrow(/grpcPort[\s\S]*metricsPort/);
  });

  it('swept the left-over temp file at start', () => {
    expect(fs.readdirSync(path.join(dataDir, 'blobs', 'tmp'))).toEqual([]);
  });

  it('serves ModelRegistry, grpc.health.v1 and /metrics with upload and download counters', async () => {
    const client = createRegistryClient(running.grpcPort);
    const md = callerMetadata({ tenant: 'acme', principal: 'key-1' }, undefined);
    await registryCall(client, 'CreateModel', { name: 'm' }, md);
    const bytes = buildMlp(MLP_SMALL).bytes;
    await uploadVersion(client, md, { model: 'm' }, chunksOf(bytes, 1000));
    await downloadVersion(client, md, { model: 'm', version: 1 });
    await uploadVersion(client, md, { model: 'm' }, [Buffer.from('junk')]).catch(() => undefined);
    client.close();

    const definition = loadSync(healthProtoPath, { keepCase: true, enums: String });
    const Health = (loadPackageDefinition(definition) as any).grpc.health.v1.Health as ServiceClientConstructor;
    const health = new Health(`127.0.0.1:${running.grpcPort}`, credentials.createInsecure()) as any;
    const answer = await new Promise<{ status: string }>((resolve, reject) =>
      health.Check({ service: 'aiaas.registry.v1.ModelRegistry' }, (err: Error | null, res: { status: string }) =>
        err ? reject(err) : resolve(res),
      ),
    );
    health.close();
    expect(answer.status).toBe('SERVING');

    const text = await (await fetch(`http://127.0.0.1:${running.metricsPort}/metrics`)).text();
    expect(text).toMatch(/aiaas_registry_uploads_total\{outcome="ok"\} 1/);
    expect(text).toMatch(/aiaas_registry_uploads_total\{outcome="invalid"\} 1/);
    expect(text).toMatch(new RegExp(`aiaas_registry_upload_bytes_total ${bytes.byteLength + 4}`));
    expect(text).toMatch(/aiaas_registry_downloads_total 1/);
    expect(text).toMatch(/process_resident_memory_bytes/);
    expect((await fetch(`http://127.0.0.1:${running.metricsPort}/healthz`)).status).toBe(200);
  });
});
