import type { OrtType } from './datatypes';

/**
 * Messages between the node's event loop and a session worker thread. Tensor data travels as
 * typed arrays whose buffers are transferred (moved, not copied) in both directions.
 */

export type TensorData =
  | Float32Array
  | Float64Array
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | BigInt64Array
  | BigUint64Array
  | string[];

export interface WorkerTensor {
  name: string;
  type: OrtType;
  dims: number[];
  data: TensorData;
}

/** How a session is created; all of it comes from the model's effective config. */
export interface SessionSettings {
  modelPath: string;
  intraOpThreads: number;
  interOpThreads: number;
  allowSpinning: boolean;
  executionProvider: 'cpu' | 'cuda';
}

export interface WorkerTensorMetadata {
  name: string;
  type: string;
  shape: (number | string)[];
}

export type ToWorker =
  | { kind: 'run'; id: number; feeds: WorkerTensor[]; fetches: string[] }
  | { kind: 'close' };

export type FromWorker =
  | {
      kind: 'ready';
      inputs: WorkerTensorMetadata[];
      outputs: WorkerTensorMetadata[];
      /** The provider the session actually runs on. */
      executionProvider: SessionSettings['executionProvider'];
      /** Set when the session fell back from the configured provider. */
      warning: string | undefined;
    }
  | { kind: 'load-failed'; message: string }
  | {
      kind: 'result';
      id: number;
      outputs: WorkerTensor[];
      /** Nanoseconds spent building input tensors, in session.run, and reading outputs. */
      timing: { inputNs: number; inferNs: number; outputNs: number };
    }
  | { kind: 'run-failed'; id: number; message: string };
