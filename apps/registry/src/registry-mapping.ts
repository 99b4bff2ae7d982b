import { InvalidArgumentError } from '@aiaas/common';
import type { ModelSignature } from '@aiaas/onnx';
import type { Alias, AuditEntry, Model, Pass, Signature, Version } from '@aiaas/proto';
import type { AliasRecord, AuditRecord, ModelRecord, VersionPass, VersionRecord } from './model-store';
import type { JsonValue } from './validation';

/** Store records ↔ `aiaas.registry.v1` messages. Pure functions, no I/O. */

export function toModelMessage(record: ModelRecord): Model {
  return {
    name: record.name,
    description: record.description,
    tags: record.tags,
    metadata: record.metadata,
    created_at: record.createdAt.toISOString(),
    updated_at: record.updatedAt.toISOString(),
  };
}

export function toSignatureMessage(signature: ModelSignature): Signature {
  const tensor = (t: ModelSignature['inputs'][number]): { name: string; datatype: string; shape: string[] } => ({
    name: t.name,
    datatype: t.datatype,
    shape: t.shape.map(String),
  });
  return {
    inputs: signature.inputs.map(tensor),
    outputs: signature.outputs.map(tensor),
    ir_version: signature.irVersion,
    opsets: signature.opsets.map((opset) => ({ domain: opset.domain, version: opset.version })),
    producer_name: signature.producerName,
    producer_version: signature.producerVersion,
    parameter_count: signature.parameterCount,
  };
}

export function toVersionMessage(record: VersionRecord): Version {
  return {
    model: record.model,
    version: record.version,
    sha256: record.sha256,
    size_bytes: record.sizeBytes,
    signature: toSignatureMessage(record.signature),
    tags: record.tags,
    metadata: record.metadata,
    lineage: {
      parent_version: record.lineage.parentVersion ?? 0,
      job_id: record.lineage.jobId ?? '',
      passes: record.lineage.passes.map((pass): Pass => ({
        name: pass.name,
        settings_json: JSON.stringify(pass.settings),
      })),
      metrics_json: JSON.stringify(record.lineage.metrics),
    },
    aliases: record.aliases,
    created_at: record.createdAt.toISOString(),
    created_by: record.createdBy,
  };
}

export function toAliasMessage(model: string, record: AliasRecord): Alias {
  return {
    model,
    alias: record.alias,
    version: record.version,
    updated_at: record.updatedAt.toISOString(),
    updated_by: record.updatedBy,
    canary_version: record.canaryVersion,
    canary_percent: record.canaryPercent,
  };
}

export function toAuditMessage(record: AuditRecord): AuditEntry {
  return {
    id: record.id,
    principal: record.principal,
    action: record.action,
    target: record.target,
    details_json: JSON.stringify(record.details),
    at: record.at.toISOString(),
  };
}

/**
 * An int64 field as received (`longs: String`) to a safe integer. `what` names the field in the
 * message, which says what was expected.
 */
export function int64Field(value: string | number | undefined, what: string): number {
  const text = String(value ?? '0');
  const number = Number(text);
  if (!/^-?[0-9]+$/.test(text) || !Number.isSafeInteger(number)) {
    throw new InvalidArgumentError(`${what}: expected an integer up to 2^53, got "${text}"`);
  }
  return number;
}

/** A required version number (1, 2, …) from an int64 field. */
export function versionField(value: string | number | undefined, what = 'version'): number {
  const number = int64Field(value, what);
  if (number < 1) throw new InvalidArgumentError(`${what}: expected a version number of 1 or more, got ${number}`);
  return number;
}

/** Parses a `*_json` field that must hold a JSON object; empty means `{}`. */
export function jsonObjectField(text: string | undefined, what: string): Record<string, JsonValue> {
  if (text === undefined || text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new InvalidArgumentError(`${what}: expected a JSON object, got unparseable text (${(err as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidArgumentError(
      `${what}: expected a JSON object, got ${Array.isArray(parsed) ? 'an array' : typeof parsed}`,
    );
  }
  return parsed as Record<string, JsonValue>;
}

/** Passes as received (settings as JSON text) to the store's form. */
export function passesField(passes: readonly { name: string; settings_json: string }[]): VersionPass[] {
  return passes.map((pass, i) => ({
    name: pass.name,
    settings: jsonObjectField(pass.settings_json, `passes[${i}].settings_json`),
  }));
}
