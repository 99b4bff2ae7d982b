import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServiceError } from '@grpc/grpc-js';
import { MLP_SMALL, buildMlp } from '@aiaas/onnx';
import type { JobEvent__Output, JobsClient, SubmitJobResponse__Output, WatchJobResponse__Output } from '@aiaas/proto';
import type { RunningRegistry } from '@aiaas/registry';
import { REPO_ROOT, pollUntil, registryCall } from '@aiaas/testing';
import type { RegistryClient } from '@aiaas/testing';
import { REDIS_URL, startJobsTestBed, tenantMetadata as md } from './test-harness';
import type { JobsTestBed } from './test-harness';

/** `aiaas worker` as a real process, from the sources through tsx (no build needed, so no dist/ race). */
function spawnWorker(
  registryPort: number,
  queueName: string,
  prefix: string,
): { child: ChildProcess; ready: Promise<number> } {
  const child = spawn(
    process.execPath,
    [
      '--import',
      pathToFileURL(require.resolve('tsx')).href,
      path.join(REPO_ROOT, 'apps/cli/src/main.ts'),
      'worker',
      '--registry',
      `127.0.0.1:${registryPort}`,
      '--redis',
      REDIS_URL,
      '--metrics-port',
      '0',
    ],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        LOG_LEVEL: 'warn',
        AIAAS_JOB_QUEUE_NAME: queueName,
        AIAAS_JOB_QUEUE_PREFIX: prefix,
        AIAAS_OPTIMIZER_STALLED_INTERVAL_MS: '1000',
        AIAAS_OPTIMIZER_LOCK_DURATION_MS: '2000',
        AIAAS_OPTIMIZER_TEST_PASSES: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  // Resolves with the worker's /metrics port (`--metrics-port 0`: any free one).
  const ready = new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /optimizer worker on queue .* metrics on port (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready:\n${output}`)));
  });
  return { child, ready };
}

/** The pids of a process's children (its sandboxed job processes), to clean up after a kill -9. */
function childPids(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map(Number);
  } catch {
    return [];
  }
}

describe('aiaas worker processes (real Redis, real registry)', () => {
  let bed: JobsTestBed;
  let queueName: string;
  let prefix: string;
  let registry: RunningRegistry;
  let client: RegistryClient;
  let jobs: JobsClient;
  const spawned: ChildProcess[] = [];
  const orphans: number[] = [];

  beforeAll(async () => {
    bed = await startJobsTestBed({ tempDirName: 'optimizer-kill', registryFlags: { allowTestPasses: true } });
    ({ queueName, prefix, registry, client, jobs } = bed);
    await bed.addModel('mlp', buildMlp(MLP_SMALL).bytes);
  });

  afterAll(async () => {
    for (const child of spawned) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const pid of orphans) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await bed?.close();
  });

  it('picks a job up again after kill -9 of its worker and registers exactly one version', async () => {
    const first = spawnWorker(registry.grpcPort, queueName, prefix);
    spawned.push(first.child);
    await first.ready;
    const { job } = await new Promise<SubmitJobResponse__Output>((resolve, reject) =>
      jobs.SubmitJob(
        {
          model: 'mlp',
          passes: [
            { name: 'sleep', settings_json: '{"ms":3000}' },
            { name: 'fp16-weights', settings_json: '{}' },
          ],
        },
        md(),
        (err: ServiceError | null, response?: SubmitJobResponse__Output) => (err ? reject(err) : resolve(response!)),
      ),
    );
    const events: JobEvent__Output[] = [];
    const call = jobs.WatchJob({ id: job!.id }, md());
    const watched = (async () => {
      for await (const message of call as AsyncIterable<WatchJobResponse__Output>) {
        events.push(message.event!);
        if (message.event!.kind === 'JOB_EVENT_KIND_PASS_STARTED' && first.child.exitCode === null) {
          orphans.push(...childPids(first.child.pid!));
          first.child.kill('SIGKILL');
        }
      }
    })();
    // The first worker dies mid-job; a second one finds the stalled job and runs it again.
    await new Promise((resolve) => first.child.once('exit', resolve));
    const second = spawnWorker(registry.grpcPort, queueName, prefix);
    spawned.push(second.child);
    const metricsPort = await second.ready;
    await watched;
    expect(events.at(-1)?.kind).toBe('JOB_EVENT_KIND_COMPLETED');
    expect(events.filter((e) => e.kind === 'JOB_EVENT_KIND_STARTED').length).toBeGreaterThanOrEqual(2);
    const versions = await registryCall(client, 'ListVersions', { model: 'mlp' }, md());
    expect(versions.versions.map((v) => v.version)).toEqual(['1', '2']);
    expect(versions.versions[1]?.lineage?.job_id).toBe(job!.id);
    // `--metrics-port`: the second worker counted the job it finished (once its report to the
    // registry, which ended WatchJob above, has been answered).
    const completedLine = /^aiaas_optimizer_jobs_total\{kind="other\+fp16-weights",state="completed"\} 1$/m;
    const metrics = await pollUntil(
      'the completed job in the worker’s /metrics',
      async () => {
        const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
        return completedLine.test(text) ? text : undefined;
      },
      10_000,
      50,
    );
    expect(metrics).toMatch(completedLine);
    expect(metrics).toMatch(/^aiaas_optimizer_jobs_active 0$/m);

    // SIGTERM: close() lets in-flight work finish, and the process exits 0.
    const exited = new Promise<number | null>((resolve) => second.child.once('exit', (code) => resolve(code)));
    second.child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 240_000);
});
