import { buildConvNet, mulberry32, uniformFloat32 } from '@aiaas/onnx';
import type { JobsClient, Job__Output, SubmitJobRequest } from '@aiaas/proto';
import { registryCall } from '@aiaas/testing';
import type { RegistryClient } from '@aiaas/testing';
import { startOptimizerWorker } from './optimizer-worker';
import type { RunningOptimizerWorker } from './optimizer-worker';
import { jobsCall, silentLogger, startJobsTestBed, tenantMetadata, watchJob } from './test-harness';
import type { JobsTestBed } from './test-harness';

interface PassReportJson {
  settings: Record<string, unknown>;
  changedNodes: string[];
  skippedNodes: unknown[];
  convCalibration?: { calibrationBatches: number };
}

interface JobReportJson {
  passes: PassReportJson[];
  sizeBefore: number;
  sizeAfter: number;
  validation: { passed: boolean; inputs: { source: string }; metrics: Record<string, { cosine: number }> };
}

describe('quantize-int8 conv "static" and prune convChannels as jobs (real Redis, real registry, worker)', () => {
  let bed: JobsTestBed;
  let client: RegistryClient;
  let jobs: JobsClient;
  let worker: RunningOptimizerWorker | undefined;
  // Small enough to calibrate in well under a second; Conv → Conv → Flatten → Gemm → Gemm.
  const cnn = buildConvNet({
    channels: 3,
    height: 16,
    width: 16,
    convLayers: [
      { outChannels: 16, kernel: 3, pad: 1 },
      { outChannels: 32, kernel: 3, stride: 2, pad: 1 },
    ],
    hiddenSizes: [128],
    classes: 10,
  });

  const submit = (request: SubmitJobRequest): Promise<Job__Output> =>
    jobsCall<{ job: Job__Output }>(jobs, 'SubmitJob', request).then((r) => r.job);
  const finished = async (job: Job__Output): Promise<{ job: Job__Output; report: JobReportJson }> => {
    const events = await watchJob(jobs, job.id);
    const done = (await jobsCall<{ job: Job__Output }>(jobs, 'GetJob', { id: job.id })).job;
    expect({ last: events.at(-1)?.kind, error: done.error }).toEqual({ last: 'JOB_EVENT_KIND_COMPLETED', error: '' });
    return { job: done, report: JSON.parse(done.report_json) as JobReportJson };
  };

  beforeAll(async () => {
    bed = await startJobsTestBed({
      tempDirName: 'optimizer-static-conv',
      registryFlags: { jobAttempts: 1, jobBackoffMs: 100 },
    });
    ({ client, jobs } = bed);
    await bed.addModel('cnn', cnn.bytes);
    worker = await startOptimizerWorker(bed.workerConfig({ memoryLimitMb: 512 }), {
      mode: 'in-process',
      logger: silentLogger,
    });
  });

  afterAll(async () => {
    await worker?.worker.close(true);
    await worker?.close();
    await bed?.close();
  });

  it('calibrates on inputs generated from the signature when the job has no dataset, and registers the version', async () => {
    const { job, report } = await finished(
      await submit({
        model: 'cnn',
        version: 1,
        passes: [{ name: 'quantize-int8', settings_json: '{"conv":"static","perChannel":true}' }],
        thresholds: { min_cosine: 0.99 },
      }),
    );
    expect(report.passes[0]).toMatchObject({
      settings: { conv: 'static', perChannel: true },
      changedNodes: ['conv1', 'conv2', 'fc1', 'fc2'],
      skippedNodes: [],
      convCalibration: { calibrationBatches: 4 },
    });
    expect(report.sizeBefore / report.sizeAfter).toBeGreaterThan(3.5);
    expect(report.validation.passed).toBe(true);
    expect(report.validation.inputs.source).toBe('generated');
    expect(report.validation.metrics['logits']!.cosine).toBeGreaterThan(0.99);
    const { version } = await registryCall(
      client,
      'GetVersion',
      { model: 'cnn', version: Number(job.result_version) },
      tenantMetadata(),
    );
    // Compared parsed: the registry records the settings as its schema parsed them (its key order).
    const lineage = version?.lineage?.passes.map((p) => ({ name: p.name, settings: JSON.parse(p.settings_json) }));
    expect(lineage).toEqual([{ name: 'quantize-int8', settings: { conv: 'static', perChannel: true } }]);
  }, 60_000);

  it("calibrates on the job's validation dataset when it has one", async () => {
    const sample = (seed: number): object => ({
      image: { shape: [2, 3, 16, 16], data: Array.from(uniformFloat32(mulberry32(seed), 2 * 3 * 16 * 16, 1)) },
    });
    const content = Buffer.from([sample(1), sample(2), sample(3)].map((line) => JSON.stringify(line)).join('\n'));
    const { report } = await finished(
      await submit({
        model: 'cnn',
        version: 1,
        passes: [
          { name: 'prune', settings_json: '{"mode":"structured","sparsity":0,"convChannels":true}' },
          { name: 'quantize-int8', settings_json: '{"conv":"static"}' },
        ],
        thresholds: { min_cosine: 0.99 },
        validation_dataset: { format: 'jsonl', content },
      }),
    );
    expect(report.passes[1]).toMatchObject({ convCalibration: { calibrationBatches: 3 } });
    expect(report.validation.inputs.source).toBe('dataset');
    expect(report.validation.passed).toBe(true);
  }, 60_000);

  it('refuses contradictory conv settings at submit with INVALID_ARGUMENT', async () => {
    await expect(
      submit({
        model: 'cnn',
        passes: [{ name: 'quantize-int8', settings_json: '{"conv":"static","opTypes":["Gemm","Conv"]}' }],
      }),
    ).rejects.toMatchObject({ code: 3, details: expect.stringMatching(/conv 'static' and 'Conv' in opTypes/) });
    await expect(
      submit({
        model: 'cnn',
        passes: [{ name: 'prune', settings_json: '{"mode":"unstructured","sparsity":0.5,"convChannels":true}' }],
      }),
    ).rejects.toMatchObject({ code: 3, details: expect.stringMatching(/convChannels applies to mode 'structured'/) });
  });
});
