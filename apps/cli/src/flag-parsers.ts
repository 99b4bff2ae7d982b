const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/**
 * A duration flag in seconds: `90`, `90s`, `15m`, `12h`, `30d`, `2w`. Throws naming the flag and
 * the accepted forms otherwise.
 */
export function parseDurationSeconds(value: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)([smhdw]?)$/.exec(value.trim());
  if (match === null || Number(match[1]) <= 0) {
    throw new Error(`${flag} "${value}": expected a positive duration such as 90s, 15m, 12h, 30d or 2w`);
  }
  return Number(match[1]) * UNIT_SECONDS[match[2] === '' ? 's' : match[2]!]!;
}

/** An integer flag within [min, max]; throws naming the flag and the range otherwise. */
export function parseIntFlag(value: string, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new Error(`${flag} "${value}": expected an integer ${range}`);
  }
  return n;
}

/** A finite number flag; throws naming the flag otherwise. */
export function parseNumberFlag(value: string, flag: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new Error(`${flag} "${value}": expected a number`);
  return n;
}
