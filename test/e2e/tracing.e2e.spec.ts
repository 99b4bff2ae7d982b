import { randomBytes } from 'node:crypto';
import { Metadata } from '@grpc/grpc-js';
import type { ModelInferRequest, ModelInferResponse__Output } from '@aiaas/proto';
import { callUnary, createInferenceClient, freePort, makeTempDir, removeDir, spawnCli } from '@aiaas/testing';
import type { CliProcess, InferenceClient } from '@aiaas/testing';
import { startOtlpJsonReceiver } from './otlp-json-receiver';
import type { OtlpJsonReceiver, ReceivedSpan } from './otlp-json-receiver';

const READY_LINE = /inference node on 127\.0\.0\.1:(\d+) \(gRPC\)/;

describe('aiaas node exports traces over OTLP (a real process)', () => {
  let dataDir: string;
  let receiver: OtlpJsonReceiver;
  let cli: CliProcess;
  let client: InferenceClient;

  beforeAll(async () => {
    dataDir = makeTempDir('e2e-tracing');
    receiver = await startOtlpJsonReceiver();
    cli = spawnCli(['node', '--demo', '--data-dir', dataDir, '--grpc-port', '0', '--metrics-port', '0'], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    const match = await cli.waitFor(READY_LINE);
    await cli.waitFor(/mlp-small v1: READY/);
    client = createInferenceClient(Number(match[1]));
  });

  afterAll(async () => {
    client?.close();
    await cli?.stop('SIGKILL');
    await receiver?.close();
    removeDir(dataDir);
  });

  it('continues the caller’s W3C trace through the server span, queue, batch and onnxruntime run', async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const metadata = new Metadata();
    metadata.set('traceparent', `00-${traceId}-${callerSpanId}-01`);
    const input = Float32Array.from({ length: 64 }, (_, i) => i / 64);
    await callUnary<ModelInferRequest, ModelInferResponse__Output>(
      client,
      (req, options, callback) => client.ModelInfer(req, metadata, options, callback),
      {
        model_name: 'mlp-small',
        inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 64] }],
        raw_input_contents: [Buffer.from(input.buffer)],
      },
    );

    const spans = await receiver.waitForTrace(traceId, (found) => found.length >= 4, 15_000);
    const byName = (name: string): ReceivedSpan => {
      const span = spans.find((s) => s.name === name);
      if (!span) throw new Error(`no "${name}" span in trace ${traceId}; got ${spans.map((s) => s.name).join(', ')}`);
      return span;
    };
    const server = byName('inference.GRPCInferenceService/ModelInfer');
    const queue = byName('inference.queue');
    const batch = byName('inference.batch');
    const run = byName('onnxruntime.run');
    expect(server.parentSpanId).toBe(callerSpanId);
    expect(queue.parentSpanId).toBe(server.spanId);
    expect(batch.parentSpanId).toBe(server.spanId);
    expect(run.parentSpanId).toBe(batch.spanId);
    expect(batch.attributes).toContainEqual({ key: 'inference.batch_size', value: { intValue: 1 } });

    const serviceNames = receiver.spans().map((span) => span.service);
    expect(new Set(serviceNames)).toEqual(new Set(['aiaas-inference-node']));
  });

  it('shuts telemetry down and exits cleanly on SIGTERM', async () => {
    expect(await cli.stop('SIGTERM')).toBe(0);
  });
});

describe('tracing never costs a command its spans or its exit status', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = makeTempDir('e2e-tracing-exit');
  });

  afterAll(() => removeDir(dataDir));

  it('a failed client command exports its spans before it exits', async () => {
    const receiver = await startOtlpJsonReceiver();
    try {
      const gateway = `http://127.0.0.1:${await freePort()}`;
      const cli = spawnCli(['models', 'ls', '--url', gateway, '--key', `aiaas_e2etrace_${'A'.repeat(43)}`], {
        AIAAS_CONFIG_DIR: dataDir,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
      });
      expect(await cli.exited()).toBe(1);
      expect(cli.output()).toContain(`cannot reach the gateway at ${gateway}`);
      // Exported before the exit: the receiver has them now, no waiting.
      const failedCalls = receiver.spans().filter((span) => span.service === 'aiaas-cli' && span.kind === 3);
      expect(failedCalls.length).toBeGreaterThan(0);
      for (const span of failedCalls) expect(span.status?.code).toBe(2);
    } finally {
      await receiver.close();
    }
  });

  /** `aiaas node --demo` exporting to a collector that is not there, ready, and one inference against it. */
  async function nodeWithCollectorDown(settings: {
    OTEL_BSP_SCHEDULE_DELAY: string;
    OTEL_EXPORTER_OTLP_TIMEOUT: string;
  }) {
    const collector = `http://127.0.0.1:${await freePort()}`;
    const node = spawnCli(['node', '--demo', '--data-dir', dataDir, '--grpc-port', '0', '--metrics-port', '0'], {
      OTEL_EXPORTER_OTLP_ENDPOINT: collector,
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
      ...settings,
    });
    let match: RegExpMatchArray;
    try {
      match = await node.waitFor(READY_LINE);
      await node.waitFor(/mlp-small v1: READY/);
    } catch (err) {
      await node.stop('SIGKILL');
      throw err;
    }
    const client = createInferenceClient(Number(match[1]));
    const infer = (): Promise<ModelInferResponse__Output> =>
      callUnary<ModelInferRequest, ModelInferResponse__Output>(
        client,
        (req, options, callback) => client.ModelInfer(req, new Metadata(), options, callback),
        {
          model_name: 'mlp-small',
          inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 64] }],
          raw_input_contents: [Buffer.alloc(64 * 4)],
        },
      );
    const close = async (): Promise<void> => {
      client.close();
      await node.stop('SIGKILL');
    };
    return { collector, node, infer, close };
  }

  it('a running service whose collector is down says so on stderr, once a minute at most', async () => {
    // An export soon after each request, given up quickly.
    const { collector, node, infer, close } = await nodeWithCollectorDown({
      OTEL_BSP_SCHEDULE_DELAY: '50',
      OTEL_EXPORTER_OTLP_TIMEOUT: '500',
    });
    try {
      await infer();
      // Said while the service runs, not only at its stop.
      await node.waitFor(
        /aiaas: tracing: spans not exported to OTEL_EXPORTER_OTLP_ENDPOINT=\S+ \(connect ECONNREFUSED/,
      );
      // More failed exports within the minute: still one line.
      for (let i = 0; i < 3; i++) {
        await infer();
        await new Promise((resolve) => setTimeout(resolve, 700));
      }
      const lost = `aiaas: tracing: spans not exported to OTEL_EXPORTER_OTLP_ENDPOINT=${collector} (`;
      expect(node.output().split(lost).length - 1).toBe(1);
      expect(await node.stop('SIGTERM')).toBe(0);
    } finally {
      await close();
    }
  });

  it('a service whose collector is down still stops cleanly, saying the last spans were lost', async () => {
    // No export before the shutdown's, and a short one.
    const { collector, node, infer, close } = await nodeWithCollectorDown({
      OTEL_BSP_SCHEDULE_DELAY: '600000',
      OTEL_EXPORTER_OTLP_TIMEOUT: '1000',
    });
    try {
      // One request: its spans wait in the batch processor until the shutdown flushes them.
      await infer();
      expect(await node.stop('SIGTERM')).toBe(0);
      expect(node.output()).toContain(
        `aiaas: tracing: the last spans were not exported to OTEL_EXPORTER_OTLP_ENDPOINT=${collector} (connect ECONNREFUSED`,
      );
      expect(node.output()).not.toContain('triggerUncaughtException');
    } finally {
      await close();
    }
  });
});

describe('tracing settings are checked at start', () => {
  it('a misspelt sampling ratio stops the command with one line, instead of sampling everything', async () => {
    const cli = spawnCli(['models', 'ls', '--url', 'http://127.0.0.1:9'], {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '10%',
    });
    expect(await cli.exited()).toBe(1);
    expect(cli.output()).toBe(
      'aiaas: invalid tracing settings: OTEL_TRACES_SAMPLER_ARG: "10%" is not a sampling ratio; ' +
        'expected a number from 0 to 1 (0.1 = 10%)\n',
    );
  });
});
