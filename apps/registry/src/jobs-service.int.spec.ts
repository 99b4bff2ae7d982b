import { credentials } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { callerMetadata, createLogger } from '@aiaas/common';
import { loadRegistryPackage } from '@aiaas/proto';
import { createRegistryClient, makeTempDir, registryCall, removeDir } from '@aiaas/testing';
import { loadRegistryConfig } from './config';
import { JOBS_NEED_REDIS_MESSAGE } from './jobs-service';
import { startRegistry } from './server';
import type { RunningRegistry } from './server';

describe('Jobs without Redis', () => {
  let dataDir: string;
  let running: RunningRegistry;

  beforeAll(async () => {
    dataDir = makeTempDir('jobs-no-redis');
    running = await startRegistry(
      loadRegistryConfig({ dataDir, grpcPort: 0, metricsPort: 0 }, {}),
      createLogger({ service: 'registry', level: 'silent' }),
    );
  });

  afterAll(async () => {
    await running?.close();
    removeDir(dataDir);
  });

  it('answers UNAVAILABLE saying what to do, while the rest of the registry serves', async () => {
    const md = callerMetadata({ tenant: 'acme', principal: 'alice' }, undefined);
    const { Jobs } = loadRegistryPackage().aiaas.registry.v1;
    const jobs = new Jobs(`127.0.0.1:${running.grpcPort}`, credentials.createInsecure());
    const client = createRegistryClient(running.grpcPort);
    try {
      const err = await new Promise<ServiceError | null>((resolve) =>
        jobs.SubmitJob({ model: 'm', passes: [{ name: 'fp16', settings_json: '{}' }] }, md, (e) => resolve(e)),
      );
      expect(err).toMatchObject({ code: 14, details: JOBS_NEED_REDIS_MESSAGE });
      const created = await registryCall(client, 'CreateModel', { name: 'still-serving' }, md);
      expect(created.model?.name).toBe('still-serving');
    } finally {
      jobs.close();
      client.close();
    }
  });
});
