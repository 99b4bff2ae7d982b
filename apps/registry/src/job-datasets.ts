import path from 'node:path';
import type { Readable } from 'node:stream';
import { InvalidArgumentError } from '@aiaas/common';
import { ValidationDatasetError, parseValidationDataset } from '@aiaas/onnx';
import type { ModelSignature } from '@aiaas/onnx';
import { FileBlobStore } from './blob-store';
import type { BlobStore } from './blob-store';

/** The largest validation dataset a job may carry (the registry's gRPC receive limit leaves room for it). */
export const JOB_DATASET_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Checks an uploaded validation dataset against the source version's input signature (names,
 * datatypes, shapes), so a bad one fails SubmitJob with INVALID_ARGUMENT rather than a job later.
 * Returns a one-line description of it.
 */
export function checkJobDataset(
  dataset: { format: string; content: Uint8Array },
  signature: Pick<ModelSignature, 'inputs'>,
  maxBytes: number = JOB_DATASET_MAX_BYTES,
): string {
  if (dataset.content.byteLength === 0) {
    throw new InvalidArgumentError('validation_dataset.content: empty; expected a jsonl or npz file');
  }
  if (dataset.content.byteLength > maxBytes) {
    throw new InvalidArgumentError(
      `validation_dataset.content: ${dataset.content.byteLength} bytes; expected at most ${maxBytes} (${maxBytes / 1024 / 1024} MiB)`,
    );
  }
  try {
    return parseValidationDataset(dataset.format, dataset.content, signature).description;
  } catch (err) {
    if (err instanceof ValidationDatasetError) throw new InvalidArgumentError(err.message);
    throw err;
  }
}

/**
 * Validation datasets by sha256, in their own blob store (`<dataDir>/job-datasets/`): apart from the
 * model artifacts, whose start-up sweep removes every blob no version references.
 */
export class JobDatasetStore {
  readonly #blobs: BlobStore;

  constructor(dataDir: string) {
    this.#blobs = new FileBlobStore(path.join(dataDir, 'job-datasets'));
  }

  /** Stores the bytes (once per content) and returns their sha256. */
  async save(content: Uint8Array, maxBytes: number = JOB_DATASET_MAX_BYTES): Promise<string> {
    const staged = await this.#blobs.put(
      (async function* () {
        yield content;
      })(),
      { maxBytes },
    );
    try {
      await this.#blobs.commit(staged);
    } catch (err) {
      await this.#blobs.discard(staged).catch(() => undefined);
      throw err;
    }
    return staged.sha256;
  }

  /** @throws NotFoundError when no dataset has that hash */
  open(sha256: string): Promise<Readable> {
    return this.#blobs.openRead(sha256);
  }
}
