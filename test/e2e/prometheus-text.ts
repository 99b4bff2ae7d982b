/**
 * A strict parser for the Prometheus text exposition format (version 0.0.4), for tests: it throws
 * on anything a scraper would reject or misread, naming the line and what was expected.
 */

/** One sample line: `name{labels} value`. */
export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A metric family: its HELP, TYPE and samples (histogram `_bucket`/`_sum`/`_count` included). */
export interface PrometheusFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  samples: PrometheusSample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/**
 * A sample value as Prometheus reads it (Go's strconv.ParseFloat): a decimal number, or NaN, Inf,
 * Infinity with an optional sign, in any case (prom-client writes `Nan` for an empty mean).
 */
function parseValue(text: string, where: string): number {
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(text);
  if (special) {
    if (special[2]!.toLowerCase() === 'nan') return Number.NaN;
    return special[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    throw new Error(`${where}: expected a number, +Inf, -Inf or NaN as the value, got "${text}"`);
  }
  return Number(text);
}

/** Reads `{a="x",b="y"}` starting at `text[start] === '{'`; returns the labels and the index after `}`. */
function parseLabels(text: string, start: number, where: string): [Record<string, string>, number] {
  const labels: Record<string, string> = {};
  let i = start + 1;
  for (;;) {
    if (text[i] === '}') return [labels, i + 1];
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new Error(`${where}: expected label="value" at column ${i + 1}`);
    const name = text.slice(i, eq);
    if (!LABEL_NAME.test(name)) throw new Error(`${where}: invalid label name "${name}"`);
    if (name in labels) throw new Error(`${where}: label "${name}" given twice`);
    if (text[eq + 1] !== '"') throw new Error(`${where}: expected '"' after ${name}=`);
    let value = '';
    let j = eq + 2;
    for (;;) {
      const c = text[j];
      if (c === undefined) throw new Error(`${where}: unterminated value of label "${name}"`);
      if (c === '"') break;
      if (c === '\\') {
        const next = text[j + 1];
        if (next === 'n') value += '\n';
        else if (next === '\\' || next === '"') value += next;
        else throw new Error(`${where}: invalid escape "\\${next ?? ''}" in label "${name}" (only \\\\, \\" and \\n)`);
        j += 2;
        continue;
      }
      value += c;
      j++;
    }
    labels[name] = value;
    i = j + 1;
    if (text[i] === ',') i++;
    else if (text[i] !== '}') throw new Error(`${where}: expected ',' or '}' after label "${name}"`);
  }
}

/** The family a sample belongs to: its own name, or the histogram/summary it is a part of. */
function familyOf(name: string, families: Map<string, PrometheusFamily>): PrometheusFamily | undefined {
  const own = families.get(name);
  if (own) return own;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!name.endsWith(suffix)) continue;
    const family = families.get(name.slice(0, -suffix.length));
    if (family && (family.type === 'histogram' || (family.type === 'summary' && suffix !== '_bucket'))) return family;
  }
  return undefined;
}

function checkHistogram(family: PrometheusFamily): void {
  const series = new Map<string, { buckets: [number, number][]; count?: number }>();
  const key = (labels: Record<string, string>): string =>
    JSON.stringify(
      Object.entries(labels)
        .filter(([k]) => k !== 'le')
        .sort(),
    );
  for (const sample of family.samples) {
    const entry = series.get(key(sample.labels)) ?? { buckets: [] };
    series.set(key(sample.labels), entry);
    if (sample.name.endsWith('_bucket')) {
      const le = sample.labels['le'];
      if (le === undefined) throw new Error(`histogram ${family.name}: a _bucket sample has no "le" label`);
      entry.buckets.push([parseValue(le, `histogram ${family.name} le`), sample.value]);
    } else if (sample.name.endsWith('_count')) entry.count = sample.value;
  }
  for (const [labels, { buckets, count }] of series) {
    const last = buckets[buckets.length - 1];
    if (!last || last[0] !== Number.POSITIVE_INFINITY) {
      throw new Error(`histogram ${family.name}${labels}: expected a le="+Inf" bucket last`);
    }
    for (let i = 1; i < buckets.length; i++) {
      if (buckets[i]![0] <= buckets[i - 1]![0] || buckets[i]![1] < buckets[i - 1]![1]) {
        throw new Error(`histogram ${family.name}${labels}: buckets must have rising le and non-decreasing counts`);
      }
    }
    if (count !== last[1])
      throw new Error(`histogram ${family.name}${labels}: _count ${count} differs from the +Inf bucket ${last[1]}`);
  }
}

/**
 * Parses a whole exposition. Every sample must follow a `# TYPE` for its family (prom-client always
 * writes HELP and TYPE); names, label syntax, escapes and values are checked; a series may not
 * appear twice; histograms must be cumulative with a `+Inf` bucket equal to `_count`.
 */
export function parsePrometheusText(text: string): Map<string, PrometheusFamily> {
  const families = new Map<string, PrometheusFamily>();
  const seen = new Set<string>();
  const lines = text.split('\n');
  if (lines[lines.length - 1] !== '') throw new Error('expected the exposition to end with a newline');
  lines.forEach((line, index) => {
    const where = `line ${index + 1} ("${line.slice(0, 80)}")`;
    if (line === '') return;
    if (line.startsWith('#')) {
      const match = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!match) return; // a plain comment
      const [, kind, name, rest] = match as unknown as [string, 'HELP' | 'TYPE', string, string];
      if (!METRIC_NAME.test(name)) throw new Error(`${where}: invalid metric name "${name}"`);
      const family = families.get(name) ?? { name, help: '', type: 'untyped' as const, samples: [] };
      if (kind === 'TYPE') {
        if (!TYPES.has(rest)) throw new Error(`${where}: unknown type "${rest}"`);
        if (family.samples.length > 0) throw new Error(`${where}: TYPE after samples of ${name}`);
        family.type = rest as PrometheusFamily['type'];
      } else family.help = rest;
      families.set(name, family);
      return;
    }
    const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
    if (!nameMatch) throw new Error(`${where}: expected a metric name`);
    const name = nameMatch[0];
    let rest = line.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) {
      const [parsed, end] = parseLabels(line, name.length, where);
      labels = parsed;
      rest = line.slice(end);
    }
    const parts = rest.split(' ');
    if (parts[0] !== '' || parts.length < 2 || parts.length > 3) {
      throw new Error(`${where}: expected "name{labels} value [timestamp]"`);
    }
    const value = parseValue(parts[1]!, where);
    if (parts[2] !== undefined && !/^-?\d+$/.test(parts[2]))
      throw new Error(`${where}: invalid timestamp "${parts[2]}"`);
    const family = familyOf(name, families);
    if (!family) throw new Error(`${where}: sample of "${name}" without a # TYPE line for its family`);
    const series = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seen.has(series)) throw new Error(`${where}: series given twice`);
    seen.add(series);
    if (family.type === 'counter' && !(value >= 0))
      throw new Error(`${where}: counter ${name} must be >= 0, got ${value}`);
    family.samples.push({ name, labels, value });
  });
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

/** Every sample name in a parsed exposition (`x_bucket`, `x_sum`, `x_count` for a histogram x). */
export function sampleNames(families: Map<string, PrometheusFamily>): Set<string> {
  return new Set([...families.values()].flatMap((f) => f.samples.map((s) => s.name)));
}

/** Sum of the samples named `name` whose labels include every pair of `match` (regexps test the value). */
export function sumSamples(
  families: Map<string, PrometheusFamily>,
  name: string,
  match: Record<string, string | RegExp> = {},
): number {
  let sum = 0;
  for (const family of families.values()) {
    for (const sample of family.samples) {
      if (sample.name !== name) continue;
      const ok = Object.entries(match).every(([label, want]) => {
        const have = sample.labels[label];
        return have !== undefined && (typeof want === 'string' ? have === want : want.test(have));
      });
      if (ok) sum += sample.value;
    }
  }
  return sum;
}
