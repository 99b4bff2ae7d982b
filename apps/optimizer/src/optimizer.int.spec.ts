import { status } from '@grpc/grpc-js';
import { Queue } from 'bullmq';
import { MLP_LARGE, MLP_SMALL, buildMlp } from '@aiaas/onnx';
import type { JobsClient, Job__Output, SubmitJobRequest } from '@aiaas/proto';
import type { RunningRegistry } from '@aiaas/registry';
import { registryCall } from '@aiaas/testing';
import type { RegistryClient } from '@aiaas/testing';
import { startOptimizerWorker } from './optimizer-worker';
import type { RunningOptimizerWorker } from './optimizer-worker';
import { GrpcRegistryLink } from './registry-link';
import type { RegistryLink } from './registry-link';
import { REDIS_URL, jobsCall, silentLogger, startJobsTestBed, tenantMetadata, watchJob } from './test-harness';
import type { JobsTestBed } from './test-harness';

describe('optimization jobs (real Redis, real registry, BullMQ workers)', () => {
  let bed: JobsTestBed;
  let registry: RunningRegistry;
  let client: RegistryClient;
  let jobs: JobsClient;
  let worker: RunningOptimizerWorker | undefined;
  const md = tenantMetadata;

  const submit = (request: SubmitJobRequest): Promise<Job__Output> =>
    jobsCall<{ job: Job__Output }>(jobs, 'SubmitJob', request, md()).then((r) => r.job);
  const getJob = (id: string): Promise<Job__Output> =>
    jobsCall<{ job: Job__Output }>(jobs, 'GetJob', { id }, md()).then((r) => r.job);
  const startWorker = async (mode: 'sandbox' | 'in-process'): Promise<RunningOptimizerWorker> =>
    startOptimizerWorker(bed.workerConfig({ memoryLimitMb: 256, stalledIntervalMs: 1000, lockDurationMs: 2000 }), {
      mode,
      logger: silentLogger,
      env: { AIAAS_OPTIMIZER_TEST_PASSES: '1' },
    });

  beforeAll(async () => {
    bed = await startJobsTestBed({
      tempDirName: 'optimizer',
      registryFlags: { jobAttempts: 2, jobBackoffMs: 100, allowTestPasses: true },
    });
    ({ registry, client, jobs } = bed);
    await bed.addModel('mlp-large', buildMlp(MLP_LARGE).bytes);
    await bed.addModel('mlp-small', buildMlp(MLP_SMALL).bytes);
    await bed.addModel('mlp-retry', buildMlp(MLP_SMALL).bytes);
  });

  afterAll(async () => {
    // Forced: a job still running after a failed test must not hold the suite open.
    await worker?.worker.close(true);
    await worker?.close();
    await bed?.close();
  });

  it('refuses an unknown pass or bad settings with INVALID_ARGUMENT and queues nothing', async () => {
    await expect(
      submit({ model: 'mlp-small', passes: [{ name: 'quantize-int9', settings_json: '{}' }] }),
    ).rejects.toMatchObject({ code: 3, details: expect.stringMatching(/unknown pass.*quantize-int8/) });
    await expect(
      submit({ model: 'mlp-small', passes: [{ name: 'prune', settings_json: '{"mode":"structured","sparsity":2}' }] }),
    ).rejects.toMatchObject({ code: 3, details: expect.stringMatching(/sparsity/) });
    await expect(
      submit({ model: 'mlp-small', passes: [{ name: 'fp16', settings_json: '{not json' }] }),
    ).rejects.toMatchObject({ code: 3, details: expect.stringMatching(/not JSON/) });
    const listed = await jobsCall<{ jobs: Job__Output[] }>(jobs, 'ListJobs', { model: 'mlp-small' }, md());
    expect(listed.jobs).toEqual([]);
    const queue = new Queue(bed.queueName, { connection: { url: REDIS_URL }, prefix: bed.prefix });
    expect(await queue.count()).toBe(0);
    await queue.close();
  });

  it('quantizes MLP-large end to end: a new version with lineage and report, events in order', async () => {
    worker = await startWorker('in-process');
    const job = await submit({
      model: 'mlp-large',
      version: 1,
      passes: [{ name: 'quantize-int8', settings_json: '{"perChannel":true}' }],
      thresholds: { min_cosine: 0.99 },
      alias_on_success: 'int8',
    });
    expect(job.state).toBe('JOB_STATE_QUEUED');
    const events = await watchJob(jobs, job.id);
    expect(events.map((e) => e.kind)).toEqual([
      'JOB_EVENT_KIND_QUEUED',
      'JOB_EVENT_KIND_STARTED',
      'JOB_EVENT_KIND_PASS_STARTED',
      'JOB_EVENT_KIND_PASS_FINISHED',
      'JOB_EVENT_KIND_PROGRESS',
      'JOB_EVENT_KIND_PROGRESS',
      'JOB_EVENT_KIND_PROGRESS',
      'JOB_EVENT_KIND_COMPLETED',
    ]);
    expect(events.map((e) => Number(e.sequence))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const done = await getJob(job.id);
    expect(done).toMatchObject({ state: 'JOB_STATE_COMPLETED', result_version: '2', error: '' });
    const report = JSON.parse(done.report_json) as {
      sizeBefore: number;
      sizeAfter: number;
      validation: { passed: boolean; metrics: Record<string, { cosine: number }> };
    };
    expect(report.sizeBefore / report.sizeAfter).toBeGreaterThan(3.5);
    expect(report.validation.passed).toBe(true);
    expect(report.validation.metrics['output']!.cosine).toBeGreaterThan(0.99);

    const { version } = await registryCall(client, 'GetVersion', { model: 'mlp-large', version: 2 }, md());
    expect(version?.lineage).toMatchObject({
      parent_version: '1',
      job_id: job.id,
      passes: [{ name: 'quantize-int8', settings_json: '{"perChannel":true}' }],
    });
    expect(JSON.parse(version!.lineage!.metrics_json)).toMatchObject({ validation: { passed: true } });
    const alias = await registryCall(client, 'ResolveAlias', { reference: 'mlp-large@int8' }, md());
    expect(alias.version?.version).toBe('2');
  });

  it('fails a job whose candidate misses the thresholds, with the figures, and registers nothing', async () => {
    worker ??= await startWorker('in-process');
    const job = await submit({
      model: 'mlp-small',
      passes: [{ name: 'prune', settings_json: '{"mode":"structured","sparsity":0.9}' }],
      thresholds: { min_cosine: 0.9999 },
    });
    const events = await watchJob(jobs, job.id);
    expect(events.at(-1)?.kind).toBe('JOB_EVENT_KIND_FAILED');
    expect(events.filter((e) => e.kind === 'JOB_EVENT_KIND_FAILED')).toHaveLength(1);
    const failed = await getJob(job.id);
    expect(failed.state).toBe('JOB_STATE_FAILED');
    expect(failed.error).toMatch(/validation failed: .*cosine/);
    expect(Number(failed.attempts)).toBe(1); // deterministic: not retried
    const figures = JSON.parse(failed.report_json) as { validation: { metrics: Record<string, { cosine: number }> } };
    expect(figures.validation.metrics['output']!.cosine).toBeLessThan(0.9999);
    const versions = await registryCall(client, 'ListVersions', { model: 'mlp-small' }, md());
    expect(versions.versions.map((v) => v.version)).toEqual(['1']);
  });

  it('cancels a queued job at once and interrupts a running one, registering nothing', async () => {
    worker ??= await startWorker('in-process');
    const running = await submit({ model: 'mlp-small', passes: [{ name: 'sleep', settings_json: '{"ms":60000}' }] });
    const queued = await submit({ model: 'mlp-small', passes: [{ name: 'fp16-weights', settings_json: '{}' }] });
    // Wait for the first to start (concurrency 1: the second stays queued behind it).
    for (let i = 0; i < 100 && (await getJob(running.id)).state !== 'JOB_STATE_RUNNING'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const cancelledQueued = await jobsCall<{ job: Job__Output }>(jobs, 'CancelJob', { id: queued.id }, md());
    expect(cancelledQueued.job.state).toBe('JOB_STATE_CANCELLED');

    const asked = Date.now();
    const cancelling = await jobsCall<{ job: Job__Output }>(jobs, 'CancelJob', { id: running.id }, md());
    expect(cancelling.job.state).toBe('JOB_STATE_CANCELLING');
    const events = await watchJob(jobs, running.id);
    expect(events.at(-1)?.kind).toBe('JOB_EVENT_KIND_CANCELLED');
    // Interrupted, not waited out: the 60 s pass had most of its time left (the cancel itself takes
    // about a second; the margin is for a loaded CI machine, not a speed goal).
    expect(Date.now() - asked).toBeLessThan(30_000);
    expect((await getJob(running.id)).state).toBe('JOB_STATE_CANCELLED');
    const versions = await registryCall(client, 'ListVersions', { model: 'mlp-small' }, md());
    expect(versions.versions.map((v) => v.version)).toEqual(['1']);
  });

  it('retries a job whose registry was unavailable, with back-off, and registers it once', async () => {
    await worker?.close();
    const real = new GrpcRegistryLink(`127.0.0.1:${registry.grpcPort}`);
    let downloads = 0;
    const flaky: RegistryLink = {
      download: (...args) => {
        downloads++;
        if (downloads === 1) {
          const err = Object.assign(new Error('14 UNAVAILABLE: registry restarting'), {
            code: status.UNAVAILABLE,
            details: 'registry restarting',
          });
          return Promise.reject(err);
        }
        return real.download(...args);
      },
      upload: (...args) => real.upload(...args),
      setAlias: (...args) => real.setAlias(...args),
      report: (event) => real.report(event),
      dataset: (jobId) => real.dataset(jobId),
      close: () => real.close(),
    };
    worker = await startOptimizerWorker(bed.workerConfig(), {
      mode: 'in-process',
      logger: silentLogger,
      registry: flaky,
    });
    const job = await submit({ model: 'mlp-retry', passes: [{ name: 'fp16-weights', settings_json: '{}' }] });
    const events = await watchJob(jobs, job.id);
    expect(events.at(-1)).toMatchObject({ kind: 'JOB_EVENT_KIND_COMPLETED', version: '2' });
    expect(events.filter((e) => e.kind === 'JOB_EVENT_KIND_STARTED')).toHaveLength(2);
    expect(downloads).toBe(2);
    expect((await getJob(job.id)).attempts).toBe(2);
    await worker.close();
    real.close();
    worker = undefined;
  });

  it('survives a crashing pass in the sandbox: that job fails, the next one completes', async () => {
    await worker?.close();
    worker = await startWorker('sandbox');
    const crash = await submit({ model: 'mlp-small', passes: [{ name: 'crash-exit', settings_json: '{}' }] });
    const crashEvents = await watchJob(jobs, crash.id);
    expect(crashEvents.at(-1)?.kind).toBe('JOB_EVENT_KIND_FAILED');
    expect((await getJob(crash.id)).error).toMatch(/exit code/i);

    const oom = await submit({ model: 'mlp-small', passes: [{ name: 'crash-oom', settings_json: '{}' }] });
    expect((await watchJob(jobs, oom.id)).at(-1)?.kind).toBe('JOB_EVENT_KIND_FAILED');

    const ok = await submit({ model: 'mlp-small', passes: [{ name: 'fp16-weights', settings_json: '{}' }] });
    const okEvents = await watchJob(jobs, ok.id);
    expect(okEvents.at(-1)).toMatchObject({ kind: 'JOB_EVENT_KIND_COMPLETED', version: '2' });
  }, 240_000);
});
