/**
 * @jest-environment ../libs/onnx/jest-ort-environment.js
 */
// (onnxruntime-node needs typed arrays shared with the outer realm: see that file.)
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { AiaasClient } from '@aiaas/client';
import { MLP_SMALL, buildMlp, mlpReference } from '@aiaas/onnx';
import { makeTempDir, pollUntil, removeDir, spawnCli } from '@aiaas/testing';
import type { CliProcess } from '@aiaas/testing';

/**
 * `aiaas up` end to end: the whole platform started by one command on a temp data dir and a free
 * port range, driven through the CLI as a user would (login, push, deploy, infer, an int8 job
 * watched to the end, alias move), surviving kill -9 of its inference node, stopped with SIGTERM
 * and started again with everything as it was.
 */

const UP_READY = /Ctrl-C to stop/;
const model = buildMlp({ ...MLP_SMALL, seed: 7 });
const input = Float32Array.from({ length: 64 }, (_, i) => Math.cos(i * 0.37));

/** N such that N..N+8 (every port --port-base uses) are free now. */
async function freePortBase(): Promise<number> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
    });
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    let ok = true;
    for (let k = 0; k <= 8 && ok; k++) ok = await free(base + k);
    if (ok) return base;
  }
  throw new Error('no free range of 9 ports found');
}

function redisOnPath(): boolean {
  return (process.env['PATH'] ?? '')
    .split(path.delimiter)
    .some((dir) => dir !== '' && fs.existsSync(path.join(dir, 'redis-server')));
}

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-4): boolean {
  return (
    actual.length === expected.length && Array.from(actual).every((x, i) => Math.abs(x - expected[i]!) <= tolerance)
  );
}

describe('aiaas up (the whole platform as real processes, driven through the CLI)', () => {
  let root: string;
  let dataDir: string;
  let configDir: string;
  let portBase: number;
  let up: CliProcess | undefined;
  let restUrl: string;
  let adminKey: string;
  const upEnv: NodeJS.ProcessEnv = {};

  /** Runs one CLI command to its end; stdout apart (JSON), everything in `output` for messages. */
  async function cli(
    args: string[],
    timeoutMs = 120_000,
  ): Promise<{ code: number | null; stdout: string; output: string }> {
    const run = spawnCli(args, { AIAAS_CONFIG_DIR: configDir, AIAAS_URL: '', AIAAS_API_KEY: '' });
    let stdout = '';
    run.child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => run.child.kill('SIGKILL'), timeoutMs);
      run.child.once('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    return { code, stdout, output: run.output() };
  }

  async function cliJson(args: string[], timeoutMs?: number): Promise<any> {
    const result = await cli([...args, '--json'], timeoutMs);
    if (result.code !== 0) throw new Error(`aiaas ${args.join(' ')} exited ${result.code}:\n${result.output}`);
    return JSON.parse(result.stdout);
  }

  async function inferOutput(ref: string): Promise<{ version: string; data: number[] }> {
    const answer = await cliJson(['infer', ref, '--input', `input=${path.join(root, 'input.json')}`]);
    return { version: String(answer.model_version), data: answer.outputs[0].data };
  }

  async function startUp(): Promise<CliProcess> {
    const started = spawnCli(['up', '--data-dir', dataDir, '--port-base', String(portBase)], upEnv);
    await started.waitFor(UP_READY, 180_000);
    return started;
  }

  /** Output of the artifact run in-process with onnxruntime, for a version the platform made. */
  async function ortOutput(version: number): Promise<Float32Array> {
    const file = path.join(root, `v${version}.onnx`);
    const client = new AiaasClient({ url: restUrl, apiKey: adminKey });
    try {
      await client.models.download('mlp', version, file);
    } finally {
      client.close();
    }
    const session = await ort.InferenceSession.create(file);
    try {
      const result = await session.run({ input: new ort.Tensor('float32', input, [1, 64]) });
      return result['output']!.data as Float32Array;
    } finally {
      await session.release();
    }
  }

  beforeAll(async () => {
    root = makeTempDir('e2e-up');
    dataDir = path.join(root, 'data');
    configDir = path.join(root, 'config');
    portBase = await freePortBase();
    fs.writeFileSync(path.join(root, 'mlp.onnx'), model.bytes);
    fs.writeFileSync(path.join(root, 'input.json'), JSON.stringify({ shape: [1, 64], data: Array.from(input) }));
    // The embedded defaults (SQLite under the data dir), whatever the environment says.
    Object.assign(upEnv, {
      AIAAS_CONFIG_DIR: configDir,
      LOG_LEVEL: 'info',
      DATABASE_URL: '',
      AIAAS_BOOTSTRAP_ADMIN_KEY: '',
    });
    if (redisOnPath()) {
      // The private Redis `up` starts itself.
      upEnv['REDIS_URL'] = '';
    } else {
      upEnv['REDIS_URL'] = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
      upEnv['AIAAS_JOB_QUEUE_PREFIX'] = `e2e-up-${portBase}`;
    }
  });

  afterAll(async () => {
    await up?.stop('SIGTERM', 40_000);
    // Whatever a failed test left running from this data dir.
    const run = path.join(dataDir, 'run');
    if (fs.existsSync(run)) {
      for (const file of fs.readdirSync(run)) {
        const pid = Number(fs.readFileSync(path.join(run, file), 'utf8'));
        try {
          process.kill(file === 'up.pid' ? pid : -pid, 'SIGKILL');
        } catch {
          // Gone.
        }
      }
    }
    removeDir(root);
  });

  it('starts every service, prints the URLs and the admin key, and saves a working CLI profile', async () => {
    up = await startUp();
    const output = up.output();
    for (const service of ['registry', 'node', 'worker', 'gateway']) {
      expect(output).toMatch(new RegExp(`^${service}\\s+ready .*\\[pid \\d+\\]$`, 'm'));
    }
    restUrl = output.match(/^ {2}REST {2}(http:\/\/\S+)$/m)![1]!;
    expect(restUrl).toBe(`http://127.0.0.1:${portBase}`);
    expect(output).toMatch(new RegExp(`^ {2}gRPC {2}127\\.0\\.0\\.1:${portBase + 1}$`, 'm'));
    adminKey = output.match(/^ {2}admin key {2}(aiaas_\S+)$/m)![1]!;
    expect(output).toContain(
      `CLI profile saved to ${path.join(configDir, 'config.json')}: "aiaas models ls" works now`,
    );

    const profileFile = path.join(configDir, 'config.json');
    expect(fs.statSync(profileFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(profileFile, 'utf8'))).toEqual({
      url: restUrl,
      key: adminKey,
      grpc_address: `127.0.0.1:${portBase + 1}`,
    });
    expect(fs.statSync(path.join(dataDir, 'internal-token')).mode & 0o777).toBe(0o600);
    // The admin key is in no log: the gateway was given it, and `up` keeps it out of the data dir.
    // The secret is everything after `aiaas_<id>_` (base64url, so it may itself hold '_').
    const adminSecret = adminKey.slice(adminKey.indexOf('_', 'aiaas_'.length) + 1);
    expect(adminSecret.length).toBeGreaterThanOrEqual(32);
    for (const log of fs.readdirSync(path.join(dataDir, 'logs'))) {
      expect(fs.readFileSync(path.join(dataDir, 'logs', log), 'utf8')).not.toContain(adminSecret);
    }
    // At once, with no login: the profile `up` saved.
    expect(await cliJson(['models', 'ls'])).toEqual({ models: [] });
  });

  it('refuses a second aiaas up on the same data dir', async () => {
    const second = await cli(['up', '--data-dir', dataDir, '--port-base', String(portBase)], 60_000);
    expect(second.code).toBe(1);
    expect(second.output).toMatch(/another aiaas up \(pid \d+\) is using .*; stop it first/);
  });

  it('logs in, pushes, deploys and serves the model with the outputs onnxruntime computes', async () => {
    const bad = await cli(['login', '--url', restUrl, '--key', `${adminKey.slice(0, -4)}AAAA`]);
    expect(bad.code).not.toBe(0);
    expect(bad.output).toMatch(/login to .* failed, nothing saved/);
    const login = await cli(['login', '--url', restUrl, '--key', adminKey]);
    expect(login.code).toBe(0);
    expect(login.output).toContain(`logged in to ${restUrl}`);

    const pushed = await cliJson([
      'models',
      'push',
      path.join(root, 'mlp.onnx'),
      '--name',
      'mlp',
      '--alias',
      'production',
    ]);
    expect(pushed).toMatchObject({ model: 'mlp', version: 1, aliases: ['production'] });
    const deployment = await cliJson(['deploy', 'mlp@production']);
    expect(deployment).toMatchObject({ name: 'mlp', model: 'mlp', alias: 'production' });

    const { version, data } = await inferOutput('mlp@production');
    expect(version).toBe('1');
    expect(close(data, mlpReference(model.weights, input, 1))).toBe(true);
    expect(close(data, await ortOutput(1))).toBe(true);
  });

  it('quantizes to int8 with a watched job and serves the new version', async () => {
    const job = await cliJson(['jobs', 'submit', 'mlp:1', '--pass', 'quantize-int8', '--watch'], 300_000);
    expect(job).toMatchObject({ model: 'mlp', source_version: 1, state: 'completed', result_version: 2 });

    const versions = await cliJson(['models', 'versions', 'mlp']);
    expect(versions.versions.map((v: { version: number }) => v.version).sort()).toEqual([1, 2]);
    const quantized = await ortOutput(2);
    // int8 weights: near the float model, and exactly what onnxruntime makes of the new artifact.
    expect(close(quantized, mlpReference(model.weights, input, 1), 0.05)).toBe(true);
    expect(close(quantized, mlpReference(model.weights, input, 1))).toBe(false);
    const deployed = await cliJson(['deploy', 'mlp:2', '--name', 'mlp-int8']);
    expect(deployed).toMatchObject({ name: 'mlp-int8', model: 'mlp', version: 2 });
    const served = await pollUntil('version 2 served', async () => {
      const answer = await inferOutput('mlp:2');
      return answer.version === '2' ? answer : undefined;
    });
    expect(close(served.data, quantized)).toBe(true);
    // Tried out; production moves to it next (one node holds one replica of a version).
    const removed = await cli(['deployments', 'rm', 'mlp-int8']);
    expect(removed.code).toBe(0);
  });

  it('moves the alias, and the deployment follows it', async () => {
    const moved = await cli(['alias', 'set', 'mlp@production', '2']);
    expect(moved.code).toBe(0);
    const quantized = await ortOutput(2);
    const answer = await pollUntil('production served by version 2', async () => {
      const out = await inferOutput('mlp@production');
      return out.version === '2' ? out : undefined;
    });
    expect(close(answer.data, quantized)).toBe(true);
    // The roll ends with version 1 unloaded.
    const gone = await pollUntil('version 1 no longer served', async () => {
      const result = await cli(['infer', 'mlp:1', '--input', `input=${path.join(root, 'input.json')}`]);
      return result.code !== 0 ? result.output : undefined;
    });
    expect(gone).toMatch(/model "mlp" version 1 not found/);
  });

  it('restarts the inference node after kill -9 and serves again; the others keep running', async () => {
    const pidOf = (service: string) => Number(fs.readFileSync(path.join(dataDir, 'run', `${service}.pid`), 'utf8'));
    const nodePid = pidOf('node');
    const gatewayPid = pidOf('gateway');
    expect(up!.output()).toContain(`[pid ${nodePid}]`);
    process.kill(nodePid, 'SIGKILL');
    const restarted = await up!.waitFor(/^node\s+restarted on .*\[pid (\d+)\]$/m, 60_000);
    expect(Number(restarted[1])).not.toBe(nodePid);
    expect(up!.output()).toMatch(/^node\s+crashed \(signal SIGKILL\); restarting it in 0\.5 s/m);
    const quantized = await ortOutput(2);
    const answer = await pollUntil('production served again', async () => {
      const out = await inferOutput('mlp@production');
      return out.version === '2' ? out : undefined;
    });
    expect(close(answer.data, quantized)).toBe(true);
    expect(pidOf('gateway')).toBe(gatewayPid);
    expect(up!.output()).not.toMatch(/^gateway\s+crashed/m);
  });

  it('stops cleanly on SIGTERM, gateway first and Redis last', async () => {
    const code = await up!.stop('SIGTERM', 60_000);
    expect(code).toBe(0);
    const stopped = [...up!.output().matchAll(/^(\w+)\s+stopped$/gm)].map((m) => m[1]);
    expect(stopped).toEqual(
      redisOnPath() ? ['gateway', 'worker', 'node', 'registry', 'redis'] : ['gateway', 'worker', 'node', 'registry'],
    );
    expect(up!.output()).toMatch(/aiaas is down\s*$/);
    expect(fs.readdirSync(path.join(dataDir, 'run'))).toEqual([]);
    up = undefined;
  });

  it('comes back on the same data dir with models, versions, alias, deployment and key as they were', async () => {
    up = await startUp();
    expect(up.output()).not.toMatch(/admin key {2}aiaas_/);
    expect(up.output()).toContain('admin key  printed on the first start only');

    // The key in the profile still works: every call below uses it.
    const models = await cliJson(['models', 'ls']);
    expect(models.models.map((m: { name: string }) => m.name)).toEqual(['mlp']);
    const versions = await cliJson(['models', 'versions', 'mlp']);
    const byVersion = new Map(
      versions.versions.map((v: { version: number; aliases: string[] }) => [v.version, v.aliases]),
    );
    expect([...byVersion.keys()].sort()).toEqual([1, 2]);
    expect(byVersion.get(2)).toEqual(['production']);
    const deployments = await cliJson(['deployments', 'ls']);
    expect(deployments.deployments).toEqual([expect.objectContaining({ name: 'mlp', alias: 'production' })]);

    const quantized = await ortOutput(2);
    const answer = await pollUntil('production served after the restart', async () => {
      const out = await inferOutput('mlp@production');
      return out.version === '2' ? out : undefined;
    });
    expect(close(answer.data, quantized)).toBe(true);
    // Only what was deployed comes back: version 1 had left with the alias.
    const original = await cli(['infer', 'mlp:1', '--input', `input=${path.join(root, 'input.json')}`]);
    expect(original.code).toBe(1);
    expect(original.output).toMatch(/model "mlp" version 1 not found/);

    expect(await up.stop('SIGTERM', 60_000)).toBe(0);
    up = undefined;
  });
});
