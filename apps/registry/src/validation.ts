import path from 'node:path';
import { InvalidArgumentError } from '@aiaas/common';

/** A value that survives JSON unchanged. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

const MODEL_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const ALIAS_PATTERN = /^[A-Za-z][A-Za-z0-9._-]{0,63}$/;
const TAG_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,62}$/;

/** The most tags on one model or version. */
export const MAX_TAGS = 64;
/** The longest tag value, in characters. */
export const MAX_TAG_VALUE_LENGTH = 256;
/** The most metadata entries on one model or version. */
export const MAX_METADATA_ENTRIES = 256;
/** The longest metadata key and value, in characters. */
export const MAX_METADATA_KEY_LENGTH = 256;
export const MAX_METADATA_VALUE_LENGTH = 4096;
/** The longest description, in characters. */
export const MAX_DESCRIPTION_LENGTH = 4096;
/** The most bytes of JSON in a version's passes or metrics. */
export const MAX_LINEAGE_JSON_BYTES = 64 * 1024;

/**
 * Model names: 1–128 letters, digits, '.', '_' or '-', starting with a letter or digit. No '@'
 * (it separates an alias, `name@production`) and no '/' (names appear in paths and URLs).
 */
export function checkModelName(name: unknown): string {
  if (typeof name !== 'string' || !MODEL_NAME_PATTERN.test(name)) {
    throw new InvalidArgumentError(
      `model name ${show(name)}: expected 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit`,
    );
  }
  return name;
}

/** Alias names: 1–64 letters, digits, '.', '_' or '-', starting with a letter (`name@3` means version 3). */
export function checkAliasName(alias: unknown): string {
  if (typeof alias !== 'string' || !ALIAS_PATTERN.test(alias)) {
    throw new InvalidArgumentError(
      `alias ${show(alias)}: expected 1-64 letters, digits, '.', '_' or '-', starting with a letter`,
    );
  }
  return alias;
}

/** A version number: a positive integer. */
export function checkVersionNumber(version: unknown, what = 'version'): number {
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    throw new InvalidArgumentError(`${what}: expected a positive integer, got ${show(version)}`);
  }
  return version;
}

/** Tags: at most 64, keys like `team` or `k8s.io/arch` (no '='), string values of at most 256 characters. */
export function checkTags(tags: unknown, what = 'tags'): Record<string, string> {
  const entries = checkStringMap(tags, what);
  if (entries.length > MAX_TAGS)
    throw new InvalidArgumentError(`${what}: expected at most ${MAX_TAGS}, got ${entries.length}`);
  for (const [key, value] of entries) {
    if (!TAG_KEY_PATTERN.test(key)) {
      throw new InvalidArgumentError(
        `${what}: key ${show(key)}: expected 1-63 letters, digits, '.', '_', '/' or '-', starting with a letter or digit`,
      );
    }
    if (value.length > MAX_TAG_VALUE_LENGTH) {
      throw new InvalidArgumentError(
        `${what}: value of "${key}": expected at most ${MAX_TAG_VALUE_LENGTH} characters, got ${value.length}`,
      );
    }
  }
  return Object.fromEntries(entries);
}

/** Free-form metadata: at most 256 string entries, keys up to 256 and values up to 4096 characters. */
export function checkMetadata(metadata: unknown, what = 'metadata'): Record<string, string> {
  const entries = checkStringMap(metadata, what);
  if (entries.length > MAX_METADATA_ENTRIES) {
    throw new InvalidArgumentError(`${what}: expected at most ${MAX_METADATA_ENTRIES} entries, got ${entries.length}`);
  }
  for (const [key, value] of entries) {
    if (key.length === 0 || key.length > MAX_METADATA_KEY_LENGTH) {
      throw new InvalidArgumentError(
        `${what}: expected keys of 1-${MAX_METADATA_KEY_LENGTH} characters, got ${show(key)}`,
      );
    }
    if (value.length > MAX_METADATA_VALUE_LENGTH) {
      throw new InvalidArgumentError(
        `${what}: value of ${show(key)}: expected at most ${MAX_METADATA_VALUE_LENGTH} characters, got ${value.length}`,
      );
    }
  }
  return Object.fromEntries(entries);
}

export function checkDescription(description: unknown): string {
  if (typeof description !== 'string')
    throw new InvalidArgumentError(`description: expected a string, got ${show(description)}`);
  if (description.length > MAX_DESCRIPTION_LENGTH) {
    throw new InvalidArgumentError(
      `description: expected at most ${MAX_DESCRIPTION_LENGTH} characters, got ${description.length}`,
    );
  }
  return description;
}

/** A JSON value that will be stored as text; bounded so that lineage cannot bloat every listing. */
export function checkJson<T extends JsonValue>(value: T, what: string): string {
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw new InvalidArgumentError(
      `${what}: expected JSON-serialisable data (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  if (Buffer.byteLength(text) > MAX_LINEAGE_JSON_BYTES) {
    throw new InvalidArgumentError(
      `${what}: expected at most ${MAX_LINEAGE_JSON_BYTES} bytes of JSON, got ${Buffer.byteLength(text)}`,
    );
  }
  return text;
}

/** A tag filter `key=value` (the first '=' splits; the value may be empty). */
export function parseTagFilter(filter: string): { key: string; value: string } {
  const at = filter.indexOf('=');
  const key = at < 0 ? '' : filter.slice(0, at);
  if (at < 0 || !TAG_KEY_PATTERN.test(key)) {
    throw new InvalidArgumentError(
      `tag filter ${show(filter)}: expected key=value, with a key like "team" or "k8s.io/arch"`,
    );
  }
  return { key, value: filter.slice(at + 1) };
}

/**
 * Why an external-data `location` is unsafe, or undefined when it is a plain relative path. A
 * location is only ever checked as text: the registry never opens it.
 */
export function unsafeExternalLocation(location: string): string | undefined {
  if (location.includes('\0')) return 'contains a NUL character';
  if (path.posix.isAbsolute(location) || path.win32.isAbsolute(location) || /^[A-Za-z]:/.test(location)) {
    return 'is an absolute path';
  }
  if (location.split(/[\\/]/).includes('..')) return "contains '..' and could point outside the model's folder";
  return undefined;
}

function checkStringMap(value: unknown, what: string): [string, string][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(`${what}: expected an object of string values, got ${show(value)}`);
  }
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [key, entry] of entries) {
    if (typeof entry !== 'string')
      throw new InvalidArgumentError(`${what}: value of ${show(key)}: expected a string, got ${show(entry)}`);
  }
  return entries as [string, string][];
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return `${typeof value} ${value}`;
  return typeof value;
}
