import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { decodeModel } from '../model-codec';
import type { NodeProto } from '../onnx-types';
import { PassSettingsError } from './pass';
import type { PassReport, PassResult } from './pass';

/** onnxruntime optimization levels {@link graphOptimize} offers. */
export const GRAPH_OPTIMIZE_LEVELS = Object.freeze(['basic', 'extended'] as const);

/** Settings of {@link graphOptimize}. */
export interface GraphOptimizeSettings {
  /**
   * `basic`: constant folding, redundant-node elimination and fusions valid on every execution
   * provider. `extended`: also GEMM/Conv activation, MatMul+Add, GELU, LayerNorm… fusions into
   * `com.microsoft` operators of the CPU (and CUDA) providers.
   */
  level: (typeof GRAPH_OPTIMIZE_LEVELS)[number];
}

/** Where {@link graphOptimize} writes its temporary file; tests point it at their own folder. */
export interface GraphOptimizeOptions {
  /** The folder under which a private temporary folder is made and always removed. @default os.tmpdir() */
  tempDir?: string;
}

const PASS_NAME = 'graph-optimize';
const SETTING_KEYS = new Set(['level']);

function resolveSettings(settings: unknown): GraphOptimizeSettings {
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw new PassSettingsError(
      `${PASS_NAME}: settings must be an object with a level, got ${JSON.stringify(settings)}`,
    );
  }
  const given = settings as Record<string, unknown>;
  const problems: string[] = [];
  const unknownKeys = Object.keys(given).filter((key) => !SETTING_KEYS.has(key));
  if (unknownKeys.length > 0) {
    problems.push(`unknown setting(s) ${unknownKeys.map((k) => `"${k}"`).join(', ')}; expected level`);
  }
  if (!(GRAPH_OPTIMIZE_LEVELS as readonly unknown[]).includes(given.level)) {
    problems.push(
      `level: expected ${GRAPH_OPTIMIZE_LEVELS.map((l) => `'${l}'`).join(' or ')}, got ${JSON.stringify(given.level)}`,
    );
  }
  if (problems.length > 0) throw new PassSettingsError(`${PASS_NAME}: ${problems.join('; ')}`);
  return { level: given.level as GraphOptimizeSettings['level'] };
}

/**
 * onnxruntime's own offline graph optimization: a session is created from the bytes with
 * `graphOptimizationLevel` and `optimizedModelFilePath` (honoured by onnxruntime-node 1.30), and
 * the model it saves is read back. The temporary file lives in a private folder that is removed
 * whether or not the session could be created.
 *
 * Models optimized at `extended` may contain fused `com.microsoft` operators specific to the CPU
 * provider (and instruction set) they were optimized on: run them on the same kind of hardware.
 *
 * @throws PassSettingsError when the settings are invalid (never worth retrying)
 * @throws Error from onnxruntime when the model cannot be loaded
 */
export async function graphOptimize(
  bytes: Uint8Array,
  settings: GraphOptimizeSettings,
  options: GraphOptimizeOptions = {},
): Promise<PassResult> {
  const { level } = resolveSettings(settings);
  const dir = await fs.mkdtemp(path.join(options.tempDir ?? os.tmpdir(), 'graph-optimize-'));
  let optimized: Uint8Array;
  try {
    const file = path.join(dir, 'optimized.onnx');
    const session = await ort.InferenceSession.create(bytes, {
      graphOptimizationLevel: level,
      optimizedModelFilePath: file,
      executionProviders: ['cpu'],
    });
    await session.release();
    optimized = new Uint8Array(await fs.readFile(file));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }

  const before = decodeModel(bytes).graph?.node ?? [];
  const after = decodeModel(optimized).graph?.node ?? [];
  // A node is unchanged when the result has one with the same operator, inputs and outputs.
  const signature = (node: NodeProto): string =>
    JSON.stringify([node.domain ?? '', node.opType ?? '', node.input ?? [], node.output ?? []]);
  const afterSignatures = new Set(after.map(signature));
  const label = (node: NodeProto, index: number): string =>
    node.name !== undefined && node.name !== '' ? node.name : `${node.opType ?? '?'}_${index}`;
  const msOps = [...new Set(after.filter((node) => node.domain === 'com.microsoft').map((node) => node.opType ?? '?'))];

  const report: PassReport = {
    pass: PASS_NAME,
    settings: { level },
    sizeBefore: bytes.length,
    sizeAfter: optimized.length,
    // Source nodes missing from the result were folded, fused, rewritten or removed.
    changedNodes: before
      .map((node, index) => ({ node, index }))
      .filter(({ node }) => !afterSignatures.has(signature(node)))
      .map(({ node, index }) => label(node, index)),
    skippedNodes: [],
    notes: [
      `${before.length} node(s) before, ${after.length} after (onnxruntime ${ort.env.versions.common}, level ${level}, CPU provider)`,
    ],
  };
  if (msOps.length > 0) report.notes.push(`com.microsoft operators in the result: ${msOps.join(', ')}`);
  if (level === 'extended') {
    report.notes.push(
      "'extended' may fuse nodes into CPU-specific com.microsoft operators: run this model on the same kind of hardware (CPU execution provider) it was optimized on",
    );
  }
  return { bytes: optimized, report };
}
