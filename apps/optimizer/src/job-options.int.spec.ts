import { createHash } from 'node:crypto';
import type { ServiceError } from '@grpc/grpc-js';
import { Queue } from 'bullmq';
import { MLP_SMALL, buildMlp, buildMultiIoModel, encodeNpz } from '@aiaas/onnx';
import type { JobsClient, Job__Output, SubmitJobRequest } from '@aiaas/proto';
import { startOptimizerWorker } from './optimizer-worker';
import type { RunningOptimizerWorker } from './optimizer-worker';
import { REDIS_URL, jobsCall, silentLogger, startJobsTestBed, watchJob } from './test-harness';
import type { JobsTestBed } from './test-harness';

// numpy 2.4 `np.savez_compressed(buf, a=..., b=..., flag=...)` for the multi-input model (see
// libs/onnx validation-dataset.spec.ts): a float32 [2,4], b int64 [2,4], flag bool [2,1].
const NUMPY_NPZ = Buffer.from(
  'UEsDBC0AAAAIAAAAIQDUBe/T//////////8FABQAYS5ucHkBABAAoAAAAAAAAABdAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6TZqKuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GkY6CiaaOgq1CmQDLgYGhv0MDAf2MTA0ADEDCIOAHZAPxAfsAFBLAwQtAAAACAAAACEARyQ+1P//////////BQAUAGIubnB5AQAQAMAAAAAAAAAAXAAAAAAAAACb7BfqGxDJyFDGUK2eklqcXKRupaBuk2mhrqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+RpGOgommjoKtQpkAy5GBghggtLMUJoFSrNCaTYozQ6lOaA0AFBLAwQtAAAACAAAACEA9Gx+Z///////////CAAUAGZsYWcubnB5AQAQAIIAAAAAAAAASAAAAAAAAACb7BfqGxDJyFDGUK2eklqcXKRupaBek2SorqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+RpGOgqGmjoKtQpkAy5GBgBQSwECLQMtAAAACAAAACEA1AXv010AAACgAAAABQAAAAAAAAAAAAAAgAEAAAAAYS5ucHlQSwECLQMtAAAACAAAACEARyQ+1FwAAADAAAAABQAAAAAAAAAAAAAAgAGUAAAAYi5ucHlQSwECLQMtAAAACAAAACEA9Gx+Z0gAAACCAAAACAAAAAAAAAAAAAAAgAEnAQAAZmxhZy5ucHlQSwUGAAAAAAMAAwCcAAAAqQEAAAAA',
  'base64',
);

const row = (n: number, value: number): number[] => Array.from({ length: n }, (_, i) => value + i / n);
const jsonl = (...lines: object[]): Buffer => Buffer.from(lines.map((l) => JSON.stringify(l)).join('\n'));

describe('job timeout, validation datasets and priorities (real Redis, real registry)', () => {
  let bed: JobsTestBed;
  let jobs: JobsClient;
  let worker: RunningOptimizerWorker | undefined;

  const submit = (request: SubmitJobRequest): Promise<Job__Output> =>
    jobsCall<{ job: Job__Output }>(jobs, 'SubmitJob', request).then((r) => r.job);
  const getJob = (id: string): Promise<Job__Output> =>
    jobsCall<{ job: Job__Output }>(jobs, 'GetJob', { id }).then((r) => r.job);
  const startWorker = (mode: 'sandbox' | 'in-process', jobTimeoutSeconds = 1800): Promise<RunningOptimizerWorker> =>
    startOptimizerWorker(bed.workerConfig({ memoryLimitMb: 512, jobTimeoutSeconds }), {
      mode,
      logger: silentLogger,
      env: { AIAAS_OPTIMIZER_TEST_PASSES: '1' },
    });

  beforeAll(async () => {
    bed = await startJobsTestBed({
      tempDirName: 'optimizer-options',
      registryFlags: { jobAttempts: 3, jobBackoffMs: 100, allowTestPasses: true },
      // Room for the 64 MiB + 1 byte dataset of the "too big" case.
      jobsChannelOptions: { 'grpc.max_send_message_length': 80 * 1024 * 1024 },
    });
    jobs = bed.jobs;
    await bed.addModel('mlp', buildMlp(MLP_SMALL).bytes);
    await bed.addModel('multi', buildMultiIoModel().bytes);
  });

  afterAll(async () => {
    await worker?.worker.close(true);
    await worker?.close();
    await bed?.close();
  });

  it('refuses a timeout outside 1..86400 and bad validation datasets with INVALID_ARGUMENT, queueing nothing', async () => {
    const passes = [{ name: 'fp16-weights', settings_json: '{}' }];
    await expect(submit({ model: 'mlp', passes, timeout_seconds: 86_401 })).rejects.toMatchObject({
      code: 3,
      details: expect.stringMatching(/timeout_seconds: expected 0 .* or 1\.\.86400, got 86401/),
    });
    await expect(submit({ model: 'mlp', passes, timeout_seconds: -5 })).rejects.toMatchObject({ code: 3 });

    const refused: [string, { format: string; content: Buffer }, RegExp][] = [
      [
        'wrong name',
        { format: 'jsonl', content: jsonl({ pixels: [row(64, 0)] }) },
        /unknown input "pixels"; the model's inputs are "input"/,
      ],
      [
        'wrong shape',
        { format: 'jsonl', content: jsonl({ input: [row(32, 0)] }) },
        /input "input" has shape \[1,32\]; expected \[batch,64\]/,
      ],
      [
        'wrong datatype (jsonl)',
        { format: 'jsonl', content: jsonl({ input: [row(64, 0).map(() => 'x')] }) },
        /input "input" is FP32: expected numbers/,
      ],
      [
        'wrong datatype (npz)',
        {
          format: 'npz',
          content: encodeNpz({ input: { datatype: 'FP64', shape: [2, 64], data: row(128, 0) } }),
        },
        /"input.npy": dtype <f8 does not fit input "input" \(FP32\); expected <f4/,
      ],
      [
        'corrupt zip',
        { format: 'npz', content: Buffer.from('PK\u0003\u0004 not really a zip at all') },
        /not a valid zip file/,
      ],
      [
        'unknown format',
        { format: 'csv', content: Buffer.from('1,2,3') },
        /format: expected one of jsonl, npz, got "csv"/,
      ],
      [
        'too big',
        { format: 'jsonl', content: Buffer.alloc(64 * 1024 * 1024 + 1, 0x20) },
        /validation_dataset.content: 67108865 bytes; expected at most 67108864 \(64 MiB\)/,
      ],
    ];
    for (const [what, validation_dataset, message] of refused) {
      const attempt = submit({ model: 'mlp', passes, validation_dataset });
      await expect(attempt).rejects.toMatchObject({ code: 3 });
      const err = (await attempt.catch((e: unknown) => e)) as ServiceError;
      if (!message.test(err.details)) throw new Error(`${what}: "${err.details}" does not match ${message}`);
    }
    const listed = await jobsCall<{ jobs: Job__Output[] }>(jobs, 'ListJobs', { model: 'mlp' });
    expect(listed.jobs).toEqual([]);
    const queue = new Queue(bed.queueName, { connection: { url: REDIS_URL }, prefix: bed.prefix });
    expect(await queue.count()).toBe(0);
    await queue.close();
  }, 120_000);

  it('validates on an uploaded jsonl dataset end to end and says so in the report', async () => {
    worker ??= await startWorker('in-process');
    const content = jsonl({ input: [row(64, -0.5), row(64, 0.25)] }, { input: { shape: [1, 64], data: row(64, 0.1) } });
    const job = await submit({
      model: 'mlp',
      passes: [{ name: 'fp16-weights', settings_json: '{}' }],
      thresholds: { min_cosine: 0.999 },
      validation_dataset: { format: 'jsonl', content },
    });
    const sha256 = createHash('sha256').update(content).digest('hex');
    expect(job).toMatchObject({ validation_dataset_format: 'jsonl', validation_dataset_sha256: sha256 });
    const events = await watchJob(jobs, job.id);
    expect(events.at(-1)?.kind).toBe('JOB_EVENT_KIND_COMPLETED');
    const report = JSON.parse((await getJob(job.id)).report_json) as {
      validation: { passed: boolean; inputs: Record<string, unknown>; metrics: Record<string, { cosine: number }> };
    };
    expect(report.validation.passed).toBe(true);
    expect(report.validation.inputs).toEqual({
      source: 'dataset',
      format: 'jsonl',
      sha256,
      bytes: content.length,
      description: 'jsonl: 2 sample(s); input FP32 [2,64]',
    });
    expect(report.validation.metrics['output']!.cosine).toBeGreaterThan(0.999);
  });

  it('validates on a numpy .npz dataset end to end (multi-input model), and on generated inputs without one', async () => {
    worker ??= await startWorker('in-process');
    const job = await submit({
      model: 'multi',
      passes: [{ name: 'fp16-weights', settings_json: '{"minElements":0}' }],
      validation_dataset: { format: 'npz', content: NUMPY_NPZ },
    });
    expect((await watchJob(jobs, job.id)).at(-1)?.kind).toBe('JOB_EVENT_KIND_COMPLETED');
    const report = JSON.parse((await getJob(job.id)).report_json) as {
      validation: { inputs: { source: string; format: string; description: string } };
    };
    expect(report.validation.inputs).toMatchObject({
      source: 'dataset',
      format: 'npz',
      description: 'npz: 1 sample(s); a FP32 [2,4], b INT64 [2,4], flag BOOL [2,1]',
    });

    const generated = await submit({ model: 'multi', passes: [{ name: 'fp16-weights', settings_json: '{}' }] });
    expect((await watchJob(jobs, generated.id)).at(-1)?.kind).toBe('JOB_EVENT_KIND_COMPLETED');
    const plain = JSON.parse((await getJob(generated.id)).report_json) as { validation: { inputs: unknown } };
    expect(plain.validation.inputs).toEqual({ source: 'generated', samples: 4, batchSize: 8, seed: 1234 });
    expect((await getJob(generated.id)).validation_dataset_sha256).toBe('');
  });

  it('runs a later high-priority job before earlier low-priority queued ones (concurrency 1)', async () => {
    worker ??= await startWorker('in-process');
    // The blocker runs until cancelled, so the four below are all queued before the worker picks the next.
    const blocker = await submit({ model: 'mlp', passes: [{ name: 'sleep', settings_json: '{"ms":120000}' }] });
    for (let i = 0; i < 200 && (await getJob(blocker.id)).state !== 'JOB_STATE_RUNNING'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const sleep = [{ name: 'sleep', settings_json: '{"ms":10}' }];
    const low1 = await submit({ model: 'mlp', passes: sleep, priority: 500 });
    const low2 = await submit({ model: 'mlp', passes: sleep, priority: 500 });
    const normal = await submit({ model: 'mlp', passes: sleep }); // 0 = 1000: after 500
    const high = await submit({ model: 'mlp', passes: sleep, priority: 1 });
    await jobsCall(jobs, 'CancelJob', { id: blocker.id });
    expect((await watchJob(jobs, blocker.id)).at(-1)?.kind).toBe('JOB_EVENT_KIND_CANCELLED');
    const all = [blocker, low1, low2, normal, high];
    for (const job of all.slice(1))
      expect((await watchJob(jobs, job.id)).at(-1)?.kind).toBe('JOB_EVENT_KIND_COMPLETED');
    const startedAt = async (id: string): Promise<string> =>
      (await getJob(id)).events.find((e) => e.kind === 'JOB_EVENT_KIND_STARTED')!.at;
    const order = (await Promise.all(all.map(async (job) => ({ id: job.id, at: await startedAt(job.id) }))))
      .sort((a, b) => a.at.localeCompare(b.at))
      .map((entry) => entry.id);
    expect(order).toEqual([blocker.id, high.id, low1.id, low2.id, normal.id]);
  });

  it('kills a sandboxed job past its timeout: failed "timed out after N s", not retried; a per-job timeout overrides the default', async () => {
    await worker?.close();
    worker = await startWorker('sandbox', 2);
    const stuck = await submit({ model: 'mlp', passes: [{ name: 'sleep', settings_json: '{"ms":120000}' }] });
    const events = await watchJob(jobs, stuck.id);
    expect(events.at(-1)).toMatchObject({ kind: 'JOB_EVENT_KIND_FAILED', message: 'timed out after 2 s' });
    const failed = await getJob(stuck.id);
    expect(failed).toMatchObject({ state: 'JOB_STATE_FAILED', error: 'timed out after 2 s', attempts: 1 });
    expect(events.filter((e) => e.kind === 'JOB_EVENT_KIND_STARTED')).toHaveLength(1);

    // 4 s of work fits in its own 60 s (the default of 2 s would kill it); the pool forked a new child.
    const patient = await submit({
      model: 'mlp',
      passes: [{ name: 'sleep', settings_json: '{"ms":4000}' }],
      timeout_seconds: 60,
    });
    expect(patient.timeout_seconds).toBe(60);
    expect((await watchJob(jobs, patient.id)).at(-1)?.kind).toBe('JOB_EVENT_KIND_COMPLETED');

    // And a per-job timeout shorter than the default.
    const short = await submit({
      model: 'mlp',
      passes: [{ name: 'sleep', settings_json: '{"ms":120000}' }],
      timeout_seconds: 1,
    });
    expect((await watchJob(jobs, short.id)).at(-1)).toMatchObject({ message: 'timed out after 1 s' });
    const text = await worker.metrics.registry.metrics();
    expect(text).toMatch(/aiaas_optimizer_jobs_total\{kind="other",state="timed_out"\} 2/);
  }, 180_000);
});
