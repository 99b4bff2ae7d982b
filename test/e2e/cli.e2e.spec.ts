import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MLP_LARGE, MLP_SMALL, buildMlp, mlpReference } from '@aiaas/onnx';
import {
  REPO_ROOT,
  makeTempDir,
  deleteRedisKeys,
  pollUntil,
  removeDir,
  startGatewayProcess,
  startNodeProcess,
  startRegistryProcess,
  startWorkerProcess,
} from '@aiaas/testing';
import type { CliProcess } from '@aiaas/testing';
import { randomTensor } from '../../apps/cli/src/tensor-input';

/**
 * The user-facing CLI end to end: a registry, an inference node, an optimizer worker (real Redis)
 * and a gateway as real processes, and every command run as the built `aiaas` binary with its
 * profile in a temp AIAAS_CONFIG_DIR. Outputs are checked against the MLP's reference maths.
 */

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

const small = buildMlp({ ...MLP_SMALL, seed: 11 });
const large = buildMlp({ ...MLP_LARGE, seed: 12 });

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function close(actual: readonly number[], expected: Float32Array, tolerance = 1e-4): boolean {
  return actual.length === expected.length && actual.every((x, i) => Math.abs(x - expected[i]!) <= tolerance);
}

describe('aiaas CLI against a running platform (real processes)', () => {
  const dirs: string[] = [];
  const services: CliProcess[] = [];
  const queuePrefix = `cli-e2e-${randomUUID().slice(0, 8)}`;
  let configDir: string;
  let workDir: string;
  let url: string;
  let grpcAddress: string;
  let adminKey: string;

  /** Runs the built CLI with the temp profile folder and none of the caller's AIAAS_* settings. */
  function aiaas(args: string[], env: Record<string, string> = {}): Promise<Run> {
    const base: NodeJS.ProcessEnv = { ...process.env };
    for (const key of Object.keys(base)) if (key.startsWith('AIAAS_')) delete base[key];
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [path.join(REPO_ROOT, 'bin', 'aiaas.js'), ...args],
        {
          cwd: workDir,
          env: { ...base, LOG_LEVEL: 'warn', AIAAS_CONFIG_DIR: configDir, ...env },
          maxBuffer: 64 * 1024 * 1024,
          timeout: 120_000,
        },
        (err, stdout, stderr) => {
          const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  /** Runs a command that must succeed, and returns its stdout parsed as JSON. */
  async function json(args: string[], env?: Record<string, string>): Promise<any> {
    const run = await aiaas([...args, '--json'], env);
    if (run.code !== 0) throw new Error(`aiaas ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
    return JSON.parse(run.stdout);
  }

  /** A failure: non-zero exit and exactly one line on stderr, `aiaas: ...`. */
  function expectOneLineError(run: Run, pattern: RegExp): void {
    expect(run.code).not.toBe(0);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^aiaas: /);
    expect(lines[0]).toMatch(pattern);
    expect(run.stdout).toBe('');
  }

  beforeAll(async () => {
    configDir = path.join(makeTempDir('cli-config'), 'aiaas');
    dirs.push(path.dirname(configDir));
    workDir = makeTempDir('cli-work');
    dirs.push(workDir);
    const jobEnv = { REDIS_URL, AIAAS_JOB_QUEUE_PREFIX: queuePrefix };

    const registryDir = makeTempDir('cli-registry');
    dirs.push(registryDir);
    const registry = await startRegistryProcess(registryDir, {
      env: { ...jobEnv, AIAAS_REGISTRY_HEARTBEAT_INTERVAL_MS: '300', AIAAS_REGISTRY_HEARTBEAT_TIMEOUT_MS: '3000' },
    });
    services.push(registry.cli);

    const nodeDir = makeTempDir('cli-node');
    dirs.push(nodeDir);
    services.push((await startNodeProcess(registry.address, nodeDir, 'cli-node-0')).cli);

    services.push((await startWorkerProcess(registry.address, REDIS_URL, { env: jobEnv })).cli);

    const gatewayDir = makeTempDir('cli-gateway');
    dirs.push(gatewayDir);
    // Revocation seen at once (no cached key).
    const gateway = await startGatewayProcess(registry.address, gatewayDir, {
      env: { AIAAS_GATEWAY_KEY_CACHE_TTL_MS: '0' },
    });
    services.push(gateway.cli);
    url = gateway.url;
    grpcAddress = gateway.grpcAddress;
    adminKey = gateway.adminKey;

    fs.writeFileSync(path.join(workDir, 'small.onnx'), small.bytes);
    fs.writeFileSync(path.join(workDir, 'large.onnx'), large.bytes);
  }, 180_000);

  afterAll(async () => {
    for (const service of services.reverse()) await service.stop('SIGKILL');
    await deleteRedisKeys(REDIS_URL, queuePrefix);
    for (const dir of dirs) removeDir(dir);
  });

  it('refuses a wrong key at login in one line and saves nothing', async () => {
    const run = await aiaas(['login', '--url', url, '--key', 'aiaas_nope_wrongsecret']);
    expectOneLineError(run, /login to http:\/\/127\.0\.0\.1:\d+ failed, nothing saved/);
    expect(fs.existsSync(path.join(configDir, 'config.json'))).toBe(false);
  });

  it('logs in: verifies the key, saves url, key and gRPC address with mode 0600 in a 0700 folder', async () => {
    expectOneLineError(
      await aiaas(['login', '--url', url, '--key', adminKey, '--grpc', 'nohost']),
      /expected HOST:PORT/,
    );
    const run = await aiaas(['login', '--url', url, '--key', adminKey, '--grpc', grpcAddress]);
    expect(run.code).toBe(0);
    const file = path.join(configDir, 'config.json');
    expect(run.stdout).toContain(`logged in to ${url}; saved to ${file}`);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(configDir).mode & 0o777).toBe(0o700);
    // Later commands infer over this address (the profile's, not one asked from the gateway).
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ url, key: adminKey, grpc_address: grpcAddress });
  });

  it('pushes a model with a progress bar on stderr, creating it and setting the alias', async () => {
    const run = await aiaas([
      'models',
      'push',
      'small.onnx',
      '--name',
      'mlp',
      '--alias',
      'production',
      '--tag',
      'team=cv',
      '--json',
    ]);
    expect(run.stderr).toMatch(/uploading small\.onnx \[#+\] 100% .*B\/s in \d+s {2}done/);
    expect(run.code).toBe(0);
    const version = JSON.parse(run.stdout);
    expect(version).toMatchObject({ model: 'mlp', version: 1, size_bytes: small.bytes.length, tags: { team: 'cv' } });
    expect(version.aliases).toContain('production');

    // A bigger file shows intermediate lines (stderr is a pipe: whole lines, no carriage returns).
    const big = await aiaas(['models', 'push', 'large.onnx', '--name', 'big', '--description', 'a large MLP']);
    expect(big.code).toBe(0);
    expect(big.stderr).not.toContain('\r');
    const percents = [...big.stderr.matchAll(/\] +(\d+)% /g)].map((m) => Number(m[1]));
    expect(percents.length).toBeGreaterThanOrEqual(3);
    expect(percents.at(-1)).toBe(100);
    expect(percents.some((p) => p > 0 && p < 100)).toBe(true);
    expect(big.stderr).toMatch(/ETA \d+/);
    expect(big.stdout).toMatch(/^model: +big$/m);
    expect(big.stdout).toMatch(/^version: +1$/m);
  });

  it('lists, shows and lists versions, as JSON and as tables', async () => {
    const list = await json(['models', 'ls']);
    expect(list.models.map((m: { name: string }) => m.name).sort()).toEqual(['big', 'mlp']);
    const show = await json(['models', 'show', 'big']);
    expect(show).toMatchObject({ name: 'big', description: 'a large MLP' });
    expect(show.versions).toHaveLength(1);
    const versions = await json(['models', 'versions', 'mlp']);
    expect(versions.versions).toHaveLength(1);
    expect(versions.versions[0].signature.inputs[0]).toMatchObject({ name: 'input', datatype: 'FP32' });

    const table = await aiaas(['models', 'ls']);
    expect(table.stdout).toMatch(/^NAME +DESCRIPTION +TAGS +UPDATED$/m);
    expect(table.stdout).toMatch(/^big +a large MLP/m);
    const versionTable = await aiaas(['models', 'versions', 'mlp']);
    expect(versionTable.stdout).toMatch(/^ +1 +\d+\.\d KiB +[0-9a-f]{12} +input:FP32\[batch,64\] +production/m);
  });

  it('deletes a model, its versions only when told to', async () => {
    expectOneLineError(await aiaas(['models', 'rm', 'big']), /still has 1 version.*use --force/);
    const run = await aiaas(['models', 'rm', 'big', '--force']);
    expect(run).toMatchObject({ code: 0, stdout: 'deleted model big\n' });
    expectOneLineError(await aiaas(['models', 'show', 'big']), /not found/i);
  });

  it('deploys on the alias and waits until the replica is ready', async () => {
    const deployment = await json([
      'deploy',
      'mlp@production',
      '--max-batch',
      '8',
      '--max-delay-us',
      '500',
      '--timeout',
      '90s',
    ]);
    expect(deployment).toMatchObject({
      name: 'mlp',
      model: 'mlp',
      alias: 'production',
      target_version: 1,
      replicas: 1,
    });
    expect(deployment.batching).toMatchObject({ max_batch_size: 8, max_queue_delay_microseconds: 500 });
    expect(deployment.replica_status.some((r: { state: string }) => r.state === 'READY')).toBe(true);
    const list = await json(['deployments', 'ls']);
    expect(list.deployments.map((d: { name: string }) => d.name)).toEqual(['mlp']);
    const table = await aiaas(['deployments', 'ls']);
    expect(table.stdout).toMatch(/^mlp +mlp +@production +1 +1\/1 /m);
  }, 120_000);

  it('infers from JSON files and --random, with outputs equal to the reference maths', async () => {
    const input = Float32Array.from({ length: 2 * 64 }, (_, i) => Math.sin(i) / 2);
    const rows = [Array.from(input.subarray(0, 64)), Array.from(input.subarray(64))];
    fs.writeFileSync(path.join(workDir, 'nested.json'), JSON.stringify(rows));
    fs.writeFileSync(path.join(workDir, 'object.json'), JSON.stringify({ shape: [2, 64], data: Array.from(input) }));
    const expected = mlpReference(small.weights, input, 2);
    for (const file of ['nested.json', 'object.json']) {
      const answer = await pollUntil('an inference', async () =>
        json(['infer', 'mlp@production', '--input', `input=${file}`]),
      );
      expect(answer).toMatchObject({ model_name: 'mlp', model_version: '1' });
      expect(answer.outputs).toHaveLength(1);
      expect(answer.outputs[0]).toMatchObject({ name: 'output', datatype: 'FP32', shape: [2, 10] });
      expect(close(answer.outputs[0].data, expected)).toBe(true);
    }

    const random = await json(['infer', 'mlp:1', '--random', '--seed', '5', '--batch', '3']);
    const generated = randomTensor({ name: 'input', datatype: 'FP32', shape: [-1, 64] }, { seed: 5, batch: 3 });
    expect(random.outputs[0].shape).toEqual([3, 10]);
    expect(close(random.outputs[0].data, mlpReference(small.weights, generated.data as Float32Array, 3))).toBe(true);

    const human = await aiaas(['infer', 'mlp@production', '--input', 'input=nested.json']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^output {2}FP32 {2}\[2,10\]$/m);
    const firstRow = human.stdout.split('\n')[2]!.trim().split(' ').map(Number);
    expect(close(firstRow, expected.subarray(0, 10), 1e-4)).toBe(true);
  });

  it('refuses bad infer inputs in one line', async () => {
    fs.writeFileSync(path.join(workDir, 'ragged.json'), JSON.stringify([[1, 2], [3]]));
    expectOneLineError(await aiaas(['infer', 'mlp@production', '--input', 'input=ragged.json']), /ragged array/);
    expectOneLineError(
      await aiaas(['infer', 'mlp@production', '--input', 'wrong=nested.json']),
      /has no input "wrong"; its inputs are input/,
    );
    expectOneLineError(await aiaas(['infer', 'mlp@production']), /--input NAME=FILE\.json .* or --random/);
    expectOneLineError(await aiaas(['infer', 'nope@production', '--random']), /nope/);
  });

  it('submits quantize-int8 + graph-optimize, watches it to completion, and serves the result', async () => {
    const run = await aiaas(
      [
        'jobs',
        'submit',
        'mlp@production',
        '--pass',
        'quantize-int8',
        '--pass',
        'graph-optimize',
        '--min-cosine',
        '0.99',
        '--alias-on-success',
        'candidate',
        '--watch',
      ],
      {},
    );
    if (run.code !== 0) throw new Error(`jobs submit failed: ${run.stderr}\n${run.stdout}`);
    expect(run.stderr).toMatch(/submitted job \S+ on mlp:1: quantize-int8 → graph-optimize/);
    expect(run.stderr).toMatch(/\[1\/2\] quantize-int8 +\[#+\] 100% +\d+\.\d KiB → \d+\.\d KiB/);
    expect(run.stderr).toMatch(/\[2\/2\] graph-optimize +\[#+\] 100%/);
    const report = run.stdout.trimEnd().split('\n');
    expect(report[0]).toMatch(/^PASS +SIZE +COSINE +MAX ABS ERR +NEW VERSION$/);
    expect(report[1]).toMatch(/^quantize-int8 /);
    expect(report[2]).toMatch(/^graph-optimize /);
    const last = /^validation \(passed\) +\S+ KiB → \S+ KiB +(\d\.\d+) +(\S+) +v2$/.exec(report[3]!);
    expect(last).not.toBeNull();
    expect(Number(last![1])).toBeGreaterThanOrEqual(0.99);
    expect(Number(last![2])).toBeGreaterThan(0);

    const jobs = await json(['jobs', 'ls', '--model', 'mlp']);
    expect(jobs.jobs).toHaveLength(1);
    expect(jobs.jobs[0]).toMatchObject({ state: 'completed', result_version: 2 });
    const shown = await json(['jobs', 'show', jobs.jobs[0].id]);
    expect(shown.events.map((e: { kind: string }) => e.kind)).toContain('pass_finished');
    const completed = await json(['jobs', 'ls', '--state', 'completed']);
    expect(completed.jobs).toHaveLength(1);

    const versions = await json(['models', 'versions', 'mlp']);
    const v2 = versions.versions.find((v: { version: number }) => v.version === 2);
    expect(v2.aliases).toContain('candidate');
    expect(v2.lineage).toMatchObject({ parent_version: 1 });
  }, 180_000);

  it('exits non-zero when a watched job fails, after printing its report', async () => {
    const run = await aiaas([
      'jobs',
      'submit',
      'mlp:1',
      '--pass',
      'quantize-int8',
      '--max-abs-error',
      '1e-9',
      '--watch',
    ]);
    expect(run.code).toBe(1);
    const lastLine = run.stderr.trimEnd().split('\n').at(-1)!;
    expect(lastLine).toMatch(/^aiaas: job \S+ failed: validation failed: .*max.*abs/i);
    expect(run.stdout).toMatch(/^validation \(failed\) +\S+ KiB → \S+ KiB +\d\.\d+ +\S+$/m);
    const failed = await json(['jobs', 'ls', '--state', 'failed']);
    expect(failed.jobs).toHaveLength(1);
    expect(failed.jobs[0].result_version).toBe(0);
  }, 180_000);

  it('sends a validation dataset with the job', async () => {
    const samples = [0, 1, 2].map((s) =>
      JSON.stringify({ input: [Array.from({ length: 64 }, (_, i) => Math.sin(i + s))] }),
    );
    const file = path.join(workDir, 'samples.jsonl');
    fs.writeFileSync(file, `${samples.join('\n')}\n`);
    const job = await json([
      'jobs',
      'submit',
      'mlp:1',
      '--pass',
      'fp16-weights',
      '--dataset',
      'samples.jsonl',
      '--watch',
    ]);
    expect(job).toMatchObject({ state: 'completed', source_version: 1 });
    expect(job.validation_dataset).toEqual({
      format: 'jsonl',
      sha256: createHash('sha256').update(fs.readFileSync(file)).digest('hex'),
    });
    expectOneLineError(
      await aiaas(['jobs', 'submit', 'mlp:1', '--pass', 'fp16', '--dataset', 'small.onnx']),
      /expected a \.jsonl or \.npz file/,
    );
  }, 180_000);

  it('cancels a job, or says why it cannot', async () => {
    const job = await json(['jobs', 'submit', 'mlp:1', '--pass', 'benchmark']);
    expect(job.state).toBe('queued');
    const run = await aiaas(['jobs', 'cancel', job.id, '--json']);
    if (run.code === 0) {
      expect(['cancelling', 'cancelled']).toContain(JSON.parse(run.stdout).state);
    } else {
      // It finished first: the refusal is one line.
      expectOneLineError(run, /completed|finished|terminal/i);
    }
    expectOneLineError(await aiaas(['jobs', 'show', 'no-such-job']), /no-such-job|not found/i);
  });

  it('moves the alias (with a canary) and the deployment follows', async () => {
    const canary = await json(['alias', 'set', 'mlp@staging', '1', '--canary', '2', '--canary-percent', '10']);
    expect(canary).toMatchObject({ model: 'mlp', alias: 'staging', version: 1, canary_version: 2, canary_percent: 10 });
    const moved = await aiaas(['alias', 'set', 'mlp@production', '2']);
    expect(moved.code).toBe(0);
    expect(moved.stdout).toContain('mlp@production → v2');
    const deployment = await pollUntil('the deployment on v2', async () => {
      const d = await json(['deploy', 'mlp@production', '--timeout', '60s']);
      return d.target_version === 2 ? d : undefined;
    });
    expect(
      deployment.replica_status.some((r: { state: string; version: number }) => r.state === 'READY' && r.version === 2),
    ).toBe(true);
    const input = Float32Array.from({ length: 64 }, (_, i) => Math.cos(i));
    fs.writeFileSync(path.join(workDir, 'one.json'), JSON.stringify({ shape: [1, 64], data: Array.from(input) }));
    const answer = await pollUntil('an answer from v2', async () => {
      const a = await json(['infer', 'mlp@production', '--input', 'input=one.json']);
      return a.model_version === '2' ? a : undefined;
    });
    // int8 weights: near the float reference, not equal.
    expect(close(answer.outputs[0].data, mlpReference(small.weights, input, 1), 0.1)).toBe(true);
  }, 120_000);

  it('benchmarks through the gateway: a table with positive figures, server queue and compute times', async () => {
    const run = await aiaas(['bench', 'mlp@production', '--concurrency', '1,2', '--duration', '2s']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[1]).toMatch(
      /^CONCURRENCY +BATCH +REQUESTS +ERRORS +INFER\/S +AVG MS +P50 MS +P90 MS +P99 MS +SERVER QUEUE MS +SERVER COMPUTE MS$/,
    );
    for (const [i, concurrency] of [
      [2, 1],
      [3, 2],
    ] as const) {
      const cells = lines[i]!.trim().split(/ +/);
      expect(Number(cells[0])).toBe(concurrency);
      expect(Number(cells[2])).toBeGreaterThan(0); // requests
      expect(Number(cells[3])).toBe(0); // errors
      for (const figure of cells.slice(4, 9)) expect(Number(figure)).toBeGreaterThan(0);
      // Server queue ms (from ModelStatistics deltas; may round to 0.000 at 3 decimals) and compute ms.
      expect(cells[9]).toMatch(/^\d+\.\d+$/);
      expect(Number(cells[10])).toBeGreaterThan(0);
      expect(cells).toHaveLength(11);
    }
    expect(lines).toHaveLength(4); // no footnote: nothing was n/a
    const asJson = await json(['bench', 'mlp:2', '--duration', '1s', '--batch', '4']);
    expect(asJson.rows[0]).toMatchObject({ concurrency: 1, batch: 4, errors: 0 });
    expect(asJson.rows[0].throughput).toBeGreaterThan(0);
    expect(asJson.rows[0].serverQueueMs).toBeGreaterThan(0);
    expect(asJson.rows[0].serverComputeMs).toBeGreaterThan(0);
    expect(asJson.rows[0].serverTimesError).toBeUndefined();
    // Client latency covers the server's queue + compute time.
    expect(asJson.rows[0].avgMs).toBeGreaterThan(asJson.rows[0].serverQueueMs + asJson.rows[0].serverComputeMs);
    expect(asJson.server_times).toBe('measured');
    // A model the caller cannot read: the bench fails before measuring, in one line.
    expectOneLineError(await aiaas(['bench', 'nothing', '--duration', '1s']), /nothing.*not found/i);
  }, 120_000);

  it('creates, lists and revokes keys; a narrow key is refused what it may not do', async () => {
    const created = await json([
      'keys',
      'create',
      '--tenant',
      'acme',
      '--scopes',
      'infer,models:read',
      '--expires-in',
      '30d',
      '--name',
      'ci',
    ]);
    expect(created.key).toMatch(/^aiaas_/);
    expect(created).toMatchObject({ tenant: 'acme', name: 'ci', scopes: ['infer', 'models:read'] });
    const expires = Date.parse(created.expires_at) - Date.now();
    expect(expires).toBeGreaterThan(29 * 86_400_000);
    expect(expires).toBeLessThan(31 * 86_400_000);
    const human = await aiaas(['keys', 'create', '--tenant', 'acme', '--scopes', 'infer']);
    expect(human.stdout.split('\n')[0]).toMatch(/^aiaas_\S+$/);
    expect(human.stdout).toContain('shown only now');

    const listed = await json(['keys', 'ls', '--tenant', 'acme']);
    expect(listed.keys.map((k: { id: string }) => k.id)).toContain(created.id);
    expect(JSON.stringify(listed)).not.toContain(created.key);

    // Another tenant sees none of admin's models; it may not push.
    const asAcme = { AIAAS_API_KEY: created.key };
    expect((await json(['models', 'ls'], asAcme)).models).toEqual([]);
    expectOneLineError(await aiaas(['models', 'push', 'small.onnx', '--name', 'x'], asAcme), /models:write/);

    const revoked = await json(['keys', 'revoke', created.id]);
    expect(revoked.revoked_at).toBeTruthy();
    expectOneLineError(await aiaas(['models', 'ls'], asAcme), /revoked|invalid|unauth/i);
  }, 120_000);

  it('lists nodes', async () => {
    const nodes = await json(['nodes', 'ls']);
    expect(nodes.nodes).toHaveLength(1);
    expect(nodes.nodes[0]).toMatchObject({ node_id: 'cli-node-0', state: 'UP' });
    const table = await aiaas(['nodes', 'ls']);
    expect(table.stdout).toMatch(/^cli-node-0 +127\.0\.0\.1:\d+ +UP +cpu /m);
  });

  it('prints one line and exits non-zero on errors', async () => {
    expectOneLineError(await aiaas(['models', 'ls', '--key', 'aiaas_bad_key']), /.+/);
    expectOneLineError(await aiaas(['models', 'show', 'no-such-model']), /no-such-model|not found/i);
    expectOneLineError(
      await aiaas(['models', 'ls', '--nope']),
      /unknown option '--nope' \(see "aiaas models ls --help"\)/,
    );
    expectOneLineError(await aiaas(['deploy', 'mlp:zero']), /expected NAME, NAME@ALIAS or NAME:VERSION/);
    expectOneLineError(
      await aiaas(['deploy', 'mlp@production', '--device', 'tpu']),
      /--device "tpu": expected cpu or gpu/,
    );
    expectOneLineError(await aiaas(['jobs', 'submit', 'mlp']), /give at least one --pass/);
    expectOneLineError(await aiaas(['keys', 'create', '--tenant', 'a', '--scopes', 'root']), /unknown scope\(s\) root/);
    expectOneLineError(
      await aiaas(['models', 'ls', '--url', 'http://127.0.0.1:1']),
      /ECONNREFUSED|unavailable|connect/i,
    );
    expectOneLineError(await aiaas(['alias', 'set', 'mlp', '1']), /"mlp": expected NAME@ALIAS/);
    expectOneLineError(
      await aiaas(['alias', 'set', 'mlp@x', '1', '--canary', '2']),
      /--canary and --canary-percent go together/,
    );
    expectOneLineError(await aiaas(['alias', 'set', 'mlp@x', '99']), /99|not found/i);
    expectOneLineError(await aiaas(['deployments', 'rm', 'no-such-deployment']), /no-such-deployment|not found/i);
    expectOneLineError(await aiaas(['models', 'push', 'missing.onnx', '--name', 'x']), /cannot read missing\.onnx/);
    // --grpc overrides the profile's address: nothing listens there.
    expectOneLineError(
      await aiaas(['infer', 'mlp@production', '--random', '--grpc', '127.0.0.1:1', '--timeout', '3000']),
      /unavailable|connect|refused/i,
    );
    const help = await aiaas(['jobs', 'submit', '--help']);
    expect(help.code).toBe(0);
    for (const flag of [
      '--pass',
      '--set',
      '--min-cosine',
      '--max-abs-error',
      '--alias-on-success',
      '--dataset',
      '--watch',
      '--json',
    ]) {
      expect(help.stdout).toContain(flag);
    }
  }, 120_000);

  it('deletes the deployment', async () => {
    const run = await aiaas(['deployments', 'rm', 'mlp']);
    expect(run).toMatchObject({ code: 0, stdout: 'deleted deployment mlp\n' });
    expect((await json(['deployments', 'ls'])).deployments).toEqual([]);
  });
});
