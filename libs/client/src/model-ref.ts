import { invalidArgument } from './errors';
import type { ModelRef } from './types';

/** A {@link ModelRef} resolved into what the KServe V2 request carries. */
export interface ResolvedModelRef {
  name: string;
  /** `model_version`: "" for the default route. */
  version: string;
  /** The `model_name` sent: `name` or `name@alias`. */
  modelName: string;
}

const VERSION = /^[1-9][0-9]*$/;

/**
 * Parses `name`, `name@alias`, `name:version` (or an object) into the request's model name and
 * version. Throws INVALID_ARGUMENT for an empty name, an empty alias, a version that is not a
 * positive integer, or both an alias and a version.
 */
export function parseModelRef(ref: ModelRef): ResolvedModelRef {
  let name: string;
  let alias: string | undefined;
  let version: string | undefined;
  if (typeof ref === 'string') {
    const at = ref.indexOf('@');
    const colon = ref.lastIndexOf(':');
    if (at >= 0 && colon > at) {
      throw invalidArgument(`model "${ref}": give an alias (name@alias) or a version (name:version), not both`);
    }
    if (at >= 0) {
      name = ref.slice(0, at);
      alias = ref.slice(at + 1);
    } else if (colon >= 0) {
      name = ref.slice(0, colon);
      version = ref.slice(colon + 1);
    } else {
      name = ref;
    }
  } else {
    name = ref.name;
    alias = ref.alias;
    version = ref.version === undefined ? undefined : String(ref.version);
    if (alias !== undefined && version !== undefined) {
      throw invalidArgument(`model "${name}": give an alias or a version, not both`);
    }
  }
  const shown = typeof ref === 'string' ? ref : JSON.stringify(ref);
  if (name === '') throw invalidArgument(`model ${JSON.stringify(shown)}: expected a model name, got ""`);
  if (alias !== undefined && alias === '') throw invalidArgument(`model "${shown}": expected an alias after "@"`);
  if (version !== undefined && !VERSION.test(version)) {
    throw invalidArgument(`model "${shown}": expected a positive integer version, got "${version}"`);
  }
  return {
    name,
    version: version ?? '',
    modelName: alias === undefined ? name : `${name}@${alias}`,
  };
}

/** The canonical text of a model reference: `name`, `name@alias` or `name:version`. */
export function formatModelRef(ref: ModelRef): string {
  const resolved = parseModelRef(ref);
  return resolved.version === '' ? resolved.modelName : `${resolved.name}:${resolved.version}`;
}
