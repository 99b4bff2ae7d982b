import { InvalidArgumentError } from '@aiaas/common';
import type { InferParameter, InferParameter__Output } from '@aiaas/proto';
import { describeValue } from './tensor-data';

/** A REST parameter value: the spec's `$parameters` object maps names to booleans, numbers or strings. */
export type JsonParameter = boolean | number | string;

/**
 * Converts a REST `parameters` object to gRPC `InferParameter`s: booleans → bool_param, safe
 * integers → int64_param, other numbers → double_param, strings → string_param. `where` names the
 * object in error messages (`inference request`, `input "x"`). Names in `omit` are left out;
 * undefined when nothing is left.
 */
export function parseParameters(
  where: string,
  value: unknown,
  omit: readonly string[] = [],
): { [key: string]: InferParameter } | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidArgumentError(`${where}: parameters must be an object, got ${describeValue(value)}`);
  }
  const out: { [key: string]: InferParameter } = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (omit.includes(key)) continue;
    if (typeof v === 'boolean') out[key] = { bool_param: v };
    else if (typeof v === 'string') out[key] = { string_param: v };
    else if (typeof v === 'number' && Number.isSafeInteger(v)) out[key] = { int64_param: String(v) };
    else if (typeof v === 'number') out[key] = { double_param: v };
    else {
      throw new InvalidArgumentError(
        `${where}: parameter "${key}" is ${describeValue(v)}, expected a boolean, number or string`,
      );
    }
  }
  // An empty map is left out, as a gRPC client would leave it.
  return Object.keys(out).length > 0 ? out : undefined;
}

function int64ToJson(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

/** Converts gRPC `InferParameter`s to a REST `parameters` object (64-bit integers beyond 2^53 as strings). */
export function formatParameters(
  parameters: { [key: string]: InferParameter__Output } | undefined,
): Record<string, JsonParameter> {
  const out: Record<string, JsonParameter> = {};
  for (const [key, p] of Object.entries(parameters ?? {})) {
    // With `oneofs: true` proto-loader names the set member; without it, the first member present wins.
    const choice =
      p.parameter_choice ??
      (['bool_param', 'string_param', 'int64_param', 'uint64_param', 'double_param'] as const).find(
        (f) => p[f] !== undefined,
      );
    if (choice === undefined) continue;
    const value = p[choice];
    if (value === undefined) continue;
    out[key] = choice === 'int64_param' || choice === 'uint64_param' ? int64ToJson(String(value)) : value;
  }
  return out;
}
