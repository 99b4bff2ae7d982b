/**
 * Worker-thread entry: owns one onnxruntime session. onnxruntime-node's session.run executes
 * synchronously on the calling thread, so running it here keeps the node's event loop (gRPC I/O)
 * free while a batch computes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import type { FromWorker, SessionSettings, ToWorker, WorkerTensor, WorkerTensorMetadata } from './worker-protocol';

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(message, transfer);
}

function metadataOf(values: readonly ort.InferenceSession.ValueMetadata[]): WorkerTensorMetadata[] {
  return values.map((value) =>
    value.isTensor
      ? { name: value.name, type: value.type, shape: [...value.shape] }
      : { name: value.name, type: 'non-tensor', shape: [] },
  );
}

/** The buffer to transfer for a typed array, copying only when it does not own its whole buffer. */
function ownedBuffer<T extends Exclude<WorkerTensor['data'], string[]>>(data: T): T {
  if (data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer) {
    return data;
  }
  return data.slice() as T;
}

function createSession(settings: SessionSettings, provider: SessionSettings['executionProvider']): Promise<ort.InferenceSession> {
  const spinning = settings.allowSpinning ? '1' : '0';
  return ort.InferenceSession.create(settings.modelPath, {
    intraOpNumThreads: settings.intraOpThreads,
    interOpNumThreads: settings.interOpThreads,
    executionProviders: provider === 'cuda' ? ['cuda', 'cpu'] : ['cpu'],
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: spinning }, inter_op: { allow_spinning: spinning } } },
  });
}

async function main(): Promise<void> {
  const settings = workerData as SessionSettings;
  let session: ort.InferenceSession;
  let provider = settings.executionProvider;
  let warning: string | undefined;
  try {
    try {
      session = await createSession(settings, provider);
    } catch (err) {
      if (provider !== 'cuda') throw err;
      // The CUDA provider needs a GPU and its libraries (not shipped in the npm package); serve on CPU instead.
      warning = `CUDA execution provider unavailable (${(err as Error).message}); running on CPU`;
      provider = 'cpu';
      session = await createSession(settings, provider);
    }
  } catch (err) {
    post({ kind: 'load-failed', message: (err as Error).message });
    return;
  }
  post({
    kind: 'ready',
    inputs: metadataOf(session.inputMetadata),
    outputs: metadataOf(session.outputMetadata),
    executionProvider: provider,
    warning,
  });

  parentPort!.on('message', (message: ToWorker) => {
    if (message.kind === 'close') {
      void session.release().finally(() => process.exit(0));
      return;
    }
    void runOnce(session, message);
  });
}

async function runOnce(session: ort.InferenceSession, request: Extract<ToWorker, { kind: 'run' }>): Promise<void> {
  try {
    const t0 = process.hrtime.bigint();
    const feeds: Record<string, ort.Tensor> = {};
    for (const feed of request.feeds) {
      feeds[feed.name] = new ort.Tensor(feed.type, feed.data, feed.dims);
    }
    const t1 = process.hrtime.bigint();
    const results = await session.run(feeds, request.fetches);
    const t2 = process.hrtime.bigint();
    const outputs: WorkerTensor[] = [];
    const transfer: ArrayBuffer[] = [];
    for (const name of request.fetches) {
      const tensor = results[name];
      if (!tensor) throw new Error(`onnxruntime returned no output "${name}"`);
      const raw = tensor.data;
      const data = Array.isArray(raw) ? raw : ownedBuffer(raw);
      if (!Array.isArray(data)) transfer.push(data.buffer as ArrayBuffer);
      outputs.push({ name, type: tensor.type as WorkerTensor['type'], dims: [...tensor.dims], data });
    }
    const t3 = process.hrtime.bigint();
    post(
      {
        kind: 'result',
        id: request.id,
        outputs,
        timing: { inputNs: Number(t1 - t0), inferNs: Number(t2 - t1), outputNs: Number(t3 - t2) },
      },
      transfer,
    );
  } catch (err) {
    post({ kind: 'run-failed', id: request.id, message: (err as Error).message });
  }
}

void main();
