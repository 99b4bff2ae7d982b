/** A model as the commands name it: `name`, `name@alias` or `name:version`. */
export interface ModelTarget {
  name: string;
  alias?: string;
  version?: number;
}

/**
 * Parses `name`, `name@alias` or `name:version`, saying what was expected when it is none of them
 * (an empty part, a version that is not a positive integer, both an alias and a version).
 */
export function parseModelTarget(text: string): ModelTarget {
  const expected = 'expected NAME, NAME@ALIAS or NAME:VERSION';
  const at = text.indexOf('@');
  const colon = text.lastIndexOf(':');
  if (at >= 0 && colon >= 0) throw new Error(`model "${text}": give an alias or a version, not both (${expected})`);
  if (at >= 0) {
    const name = text.slice(0, at);
    const alias = text.slice(at + 1);
    if (name === '' || alias === '') throw new Error(`model "${text}": ${expected}`);
    return { name, alias };
  }
  if (colon >= 0) {
    const name = text.slice(0, colon);
    const version = text.slice(colon + 1);
    if (name === '' || !/^[1-9]\d*$/.test(version)) {
      throw new Error(`model "${text}": ${expected}, with VERSION a positive integer`);
    }
    return { name, version: Number(version) };
  }
  if (text === '') throw new Error(`model "": ${expected}`);
  return { name: text };
}

/** The target as text again (`name`, `name@alias`, `name:version`). */
export function formatModelTarget(target: ModelTarget): string {
  if (target.alias !== undefined) return `${target.name}@${target.alias}`;
  if (target.version !== undefined) return `${target.name}:${target.version}`;
  return target.name;
}
