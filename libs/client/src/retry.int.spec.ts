import { MLP_SMALL, buildMlp, mlpReference } from '@aiaas/onnx';
import { AiaasClient, isAiaasError } from './index';
import { startTestPlatform } from './test-platform';
import type { TestPlatform } from './test-platform';

/**
 * Retries on UNAVAILABLE with back-off, against real services, while loops of infer calls run: an
 * inference node is closed and started again on the same port, then the gateway itself (the SDK's
 * channel reconnects), and no call fails; with nothing to reach, a call fails with UNAVAILABLE once
 * its retries are spent.
 *
 * Two nodes, two replicas: with a single node, the registry drops the model's route while its only
 * replica is down and the gateway answers NOT_FOUND (not UNAVAILABLE), which no client should retry
 * (reported to the gateway/registry owners).
 */
const mlp = buildMlp({ ...MLP_SMALL, seed: 5 });
const features = Float32Array.from({ length: 64 }, (_, i) => Math.cos(i));
const expected = mlpReference(mlp.weights, features, 1);

function near(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  return a.length === b.length && Array.from(a).every((x, i) => Math.abs(x - b[i]!) < 1e-4);
}

describe('retries on UNAVAILABLE (registry + two nodes + gateway)', () => {
  let platform: TestPlatform;
  let client: AiaasClient;

  beforeAll(async () => {
    platform = await startTestPlatform({ nodes: 2 });
    const key = await platform.createKey('acme');
    // Generous retries within a generous deadline: the node needs a few seconds to come back and reload.
    client = new AiaasClient({ url: platform.url, apiKey: key, deadlineMs: 45_000, retries: 40, retryMaxDelayMs: 500 });
    await client.models.upload('mlp', Buffer.from(mlp.bytes), { createModel: true });
    await client.deployments.create({ model: 'mlp', version: 1, replicas: 2 });
    await client.deployments.waitReady('mlp', { deadlineMs: 60_000 });
  }, 90_000);

  afterAll(async () => {
    client?.close();
    await platform?.close();
  }, 30_000);

  /** Runs 3 loops of infer calls around `disrupt`, until 20 more calls succeeded after it; returns the failures. */
  async function underTraffic(
    disrupt: () => Promise<void>,
  ): Promise<{ failures: string[]; before: number; after: number }> {
    let stop = false;
    let ok = 0;
    const failures: string[] = [];
    const loops = Array.from({ length: 3 }, async () => {
      while (!stop) {
        try {
          const result = await client.inference.infer('mlp', { input: { shape: [1, 64], data: features } });
          if (near(result.outputList[0]!.data as Float32Array, expected)) ok += 1;
          else failures.push('wrong output');
        } catch (err) {
          failures.push(isAiaasError(err) ? `${err.code}: ${err.message}` : String(err));
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = ok;
    await disrupt();
    const atRestart = ok;
    const deadline = Date.now() + 45_000;
    while (ok < atRestart + 20 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    stop = true;
    await Promise.all(loops);
    return { failures, before, after: ok - atRestart };
  }

  it('no infer call fails while a node restarts on the same port', async () => {
    const { failures, before, after } = await underTraffic(() => platform.restartNode(0, 500));
    expect(failures).toEqual([]);
    expect(before).toBeGreaterThan(0);
    expect(after).toBeGreaterThanOrEqual(20);
    // Both replicas come back.
    await client.deployments.waitReady('mlp', { deadlineMs: 60_000 });
  }, 90_000);

  it('no infer call fails while the gateway restarts on the same ports', async () => {
    const { failures, before, after } = await underTraffic(() => platform.restartGateway(1_000));
    expect(failures).toEqual([]);
    expect(before).toBeGreaterThan(0);
    expect(after).toBeGreaterThanOrEqual(20);
  }, 90_000);

  it('gives up with UNAVAILABLE once the retries are spent, saying why', async () => {
    const offline = new AiaasClient({
      url: 'http://127.0.0.1:1',
      apiKey: 'k',
      grpcAddress: '127.0.0.1:1',
      retries: 2,
      retryBaseDelayMs: 10,
    });
    try {
      const started = Date.now();
      const err: unknown = await offline.inference.infer('mlp', { x: { shape: [1], data: Float32Array.of(1) } }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isAiaasError(err) && err.code).toBe('UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      offline.close();
    }
  });
});
