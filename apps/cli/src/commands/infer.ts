import fs from 'node:fs/promises';
import type { Command } from 'commander';
import { float16BitsToFloat32 } from '@aiaas/onnx';
import type { InferResult, ModelMetadata, OutputTensor, TensorInput } from '@aiaas/client';
import { addConnectionOptions, addJsonOption, withClient } from '../cli-context';
import type { CliContext, CommonFlags } from '../cli-context';
import { parseIntFlag } from '../flag-parsers';
import { formatModelTarget, parseModelTarget } from '../model-target';
import { formatJson } from '../output';
import { jsonElements, parseInputFlag, randomTensor, tensorFromJson } from '../tensor-input';

interface InferFlags extends CommonFlags {
  input: string[];
  random?: boolean;
  seed: string;
  batch?: string;
  output: string[];
  timeout?: string;
}

const collect = (value: string, all: string[] = []): string[] => [...all, value];

/** Most elements of one output printed for people; `--json` prints all. */
const MAX_PRINTED_ELEMENTS = 64;

/** An output's elements as plain numbers/booleans/strings: FP16/BF16 bits decoded, INT64 as numbers. */
export function outputValues(output: OutputTensor): (number | boolean | string)[] {
  if (output.datatype === 'FP16') return Array.from(output.data, (bits) => float16BitsToFloat32(bits));
  if (output.datatype === 'BF16') {
    const view = new DataView(new ArrayBuffer(4));
    return Array.from(output.data, (bits) => {
      view.setUint32(0, bits << 16);
      return view.getFloat32(0);
    });
  }
  return jsonElements(output.data);
}

/** The KServe V2 REST form of an answer: `{model_name, model_version, id, outputs: [{name, datatype, shape, data}]}`. */
export function v2Json(result: InferResult): Record<string, unknown> {
  return {
    model_name: result.modelName,
    model_version: result.modelVersion,
    ...(result.id === '' ? {} : { id: result.id }),
    outputs: result.outputList.map((o) => ({
      name: o.name,
      datatype: o.datatype,
      shape: o.shape,
      data: outputValues(o),
    })),
  };
}

function short(value: number | boolean | string): string {
  if (typeof value !== 'number') return JSON.stringify(value);
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}

/** `name DATATYPE [shape]` and the first elements, nested by the last dimension. */
export function formatOutput(output: OutputTensor): string {
  const values = outputValues(output);
  const row = output.shape.length > 0 ? Math.max(1, output.shape[output.shape.length - 1]!) : 1;
  const lines: string[] = [`${output.name}  ${output.datatype}  [${output.shape.join(',')}]`];
  const shown = Math.min(values.length, MAX_PRINTED_ELEMENTS);
  for (let at = 0; at < shown; at += row) {
    lines.push(
      `  ${values
        .slice(at, Math.min(at + row, shown))
        .map(short)
        .join(' ')}`,
    );
  }
  if (values.length > shown) lines.push(`  … ${values.length - shown} more (--json prints all)`);
  return `${lines.join('\n')}\n`;
}

/**
 * The request's inputs: from `--input name=FILE.json` files, typed after the model's metadata, or
 * (`--random`) generated from that metadata with a seed.
 */
export async function buildInputs(
  metadata: ModelMetadata,
  options: { input: readonly string[]; random: boolean; seed: number; batch?: number },
): Promise<TensorInput[]> {
  if (options.random) {
    return metadata.inputs.map((meta, i) =>
      randomTensor(meta, { seed: options.seed + i, ...(options.batch === undefined ? {} : { batch: options.batch }) }),
    );
  }
  const inputs: TensorInput[] = [];
  for (const flag of options.input) {
    const { name, file } = parseInputFlag(flag);
    const meta = metadata.inputs.find((t) => t.name === name);
    if (meta === undefined) {
      throw new Error(
        `--input ${name}: the model has no input "${name}"; its inputs are ${metadata.inputs.map((t) => t.name).join(', ')}`,
      );
    }
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (err) {
      throw new Error(`--input ${name}: cannot read ${file}: ${(err as Error).message}`);
    }
    inputs.push(tensorFromJson(name, text, meta));
  }
  const missing = metadata.inputs.filter((t) => !inputs.some((i) => i.name === t.name)).map((t) => t.name);
  if (missing.length > 0) {
    throw new Error(`missing input(s) ${missing.join(', ')}: give --input NAME=FILE.json for each, or --random`);
  }
  return inputs;
}

/** `aiaas infer`: one inference through the gateway's gRPC front door. */
export function registerInferCommand(program: Command, context: CliContext): void {
  addConnectionOptions(
    addJsonOption(
      program
        .command('infer')
        .description('Run a model once and print its outputs with their shapes')
        .argument('<model>', 'NAME, NAME@ALIAS or NAME:VERSION')
        .option(
          '--input <name=file>',
          'an input from a JSON file: a nested array, or {"shape": [...], "data": [...]} (repeatable)',
          collect,
          [],
        )
        .option('--random', 'generate every input from the model’s metadata (seeded)')
        .option('--seed <n>', 'seed of --random', '0')
        .option('--batch <n>', 'batch size of --random for a variable first dimension (default 1)')
        .option('--output <name>', 'return only this output (repeatable; default all)', collect, [])
        .option('--timeout <ms>', 'deadline of the call in milliseconds (default 30000)')
        .addHelpText(
          'after',
          '\n--json prints the answer in the KServe V2 REST form: {"model_name", "outputs": [{"name", "datatype", "shape", "data"}]}',
        ),
    ),
  ).action(async (ref: string, flags: InferFlags) => {
    const target = parseModelTarget(ref);
    const random = flags.random === true;
    if (random === flags.input.length > 0) {
      throw new Error('give the inputs: --input NAME=FILE.json (one per input) or --random, not both');
    }
    const seed = parseIntFlag(flags.seed, '--seed', 0, 2 ** 32 - 1);
    const batch = flags.batch === undefined ? undefined : parseIntFlag(flags.batch, '--batch', 1, 1 << 20);
    const deadlineMs = flags.timeout === undefined ? undefined : parseIntFlag(flags.timeout, '--timeout', 1);
    await withClient(flags, context, async (client) => {
      const model = formatModelTarget(target);
      const metadata = await client.inference.modelMetadata(model, deadlineMs === undefined ? {} : { deadlineMs });
      const inputs = await buildInputs(metadata, {
        input: flags.input,
        random,
        seed,
        ...(batch === undefined ? {} : { batch }),
      });
      const result = await client.inference.infer(model, inputs, {
        ...(flags.output.length === 0 ? {} : { outputs: flags.output }),
        ...(deadlineMs === undefined ? {} : { deadlineMs }),
      });
      if (flags.json === true) {
        context.stdout.write(formatJson(v2Json(result)));
        return;
      }
      context.stdout.write(`${result.modelName} v${result.modelVersion}\n`);
      for (const output of result.outputList) context.stdout.write(formatOutput(output));
    });
  });
}
