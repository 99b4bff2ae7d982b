/**
 * Output for people and for scripts: aligned tables on stdout, `--json` documents on stdout, and
 * progress on stderr (so `aiaas ... --json | jq` never sees a progress bar).
 */

/** A stream the CLI writes to; process.stdout/stderr in use, a collector in tests. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Column alignment: text left, figures right. */
export type Align = 'left' | 'right';

/** One column of a {@link formatTable}. */
export interface Column {
  header: string;
  align?: Align;
}

/**
 * Lays rows out under their headers, columns two spaces apart, each as wide as its widest cell;
 * `align: 'right'` for figures. A missing cell prints as empty. No trailing spaces.
 */
export function formatTable(columns: readonly (Column | string)[], rows: readonly (readonly unknown[])[]): string {
  const cols: Column[] = columns.map((c) => (typeof c === 'string' ? { header: c } : c));
  const cells = rows.map((row) => cols.map((_, i) => cellText(row[i])));
  const widths = cols.map((col, i) => Math.max(col.header.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[]): string =>
    values
      .map((value, i) => (cols[i]!.align === 'right' ? value.padStart(widths[i]!) : value.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(cols.map((c) => c.header)), ...cells.map(line)].join('\n') + '\n';
}

function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value.replace(/[\r\n]+/g, ' ');
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Key/value lines (`name:  value`), keys padded to one width: for `show` commands. */
export function formatFields(fields: readonly (readonly [string, unknown])[]): string {
  const width = Math.max(0, ...fields.map(([key]) => key.length + 1));
  return fields.map(([key, value]) => `${`${key}:`.padEnd(width)}  ${cellText(value)}`.trimEnd()).join('\n') + '\n';
}

/** The document a `--json` flag prints: indented, one trailing newline. */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? Number(v) : v), 2)}\n`;
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 → "1.5 KiB"; below 1 KiB in bytes. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '?';
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value >= 100 ? 0 : 1)} ${BYTE_UNITS[unit]}`;
}

/** Seconds as "45s", "3m05s", "2h01m"; "?" when unknown (no rate yet). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Milliseconds with a precision that suits them: 0.042 → "0.042", 12.3456 → "12.35", 1234.5 → "1235". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  if (ms < 1) return ms.toFixed(3);
  if (ms < 100) return ms.toFixed(2);
  return ms.toFixed(0);
}

/** Options of a {@link ProgressBar}. */
export interface ProgressBarOptions {
  /** Words before the bar, e.g. the file name. */
  label: string;
  /** Amount at 100 %; undefined when unknown (a counter without bar or ETA). */
  total?: number;
  /** `bytes`: amounts as sizes with a rate and ETA; `percent`: amounts are 0..100 already. @default 'bytes' */
  unit?: 'bytes' | 'percent';
  /** @default process.stderr */
  stream?: OutputStream;
  /** Redraw in place (TTY) or print occasional lines. @default stream.isTTY */
  interactive?: boolean;
  /** @default Date.now */
  now?: () => number;
  /** Least time between two redraws on a TTY. @default 100 */
  redrawMs?: number;
  /** Least time between two lines when not a TTY (a line is also printed at every quarter). @default 2000 */
  lineMs?: number;
  /** Bar width in characters. @default 24 */
  width?: number;
}

/**
 * A progress bar on stderr. On a TTY it redraws one line in place (`\r`) at most every
 * `redrawMs`: label, bar, percent, amount done / total, rate, ETA. When stderr is a file or pipe
 * (CI logs) it prints a full line only now and then — every `lineMs` or when a new quarter is
 * reached — so logs stay short; {@link finish} always prints the final line.
 */
export class ProgressBar {
  private readonly stream: OutputStream;
  private readonly interactive: boolean;
  private readonly now: () => number;
  private readonly started: number;
  private done = 0;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private lastQuarter = -1;
  private drawn = false;
  private finished = false;

  constructor(private readonly options: ProgressBarOptions) {
    this.stream = options.stream ?? process.stderr;
    this.interactive = options.interactive ?? this.stream.isTTY === true;
    this.now = options.now ?? Date.now;
    this.started = this.now();
  }

  /** Sets the amount done (bytes, or percent) and redraws when it is time. */
  update(done: number, total?: number): void {
    if (this.finished) return;
    if (total !== undefined) this.options.total = total;
    this.done = done;
    const at = this.now();
    const quarter = this.fraction() === undefined ? -1 : Math.floor(this.fraction()! * 4);
    if (this.interactive) {
      if (at - this.lastDraw < (this.options.redrawMs ?? 100)) return;
      this.stream.write(`\r${this.render(at)}\x1b[K`);
      this.drawn = true;
    } else {
      // 100 % is left to finish(), which prints the last line anyway.
      const due = at - this.lastDraw >= (this.options.lineMs ?? 2000) || quarter > this.lastQuarter;
      if (!due || quarter === 4) return;
      this.stream.write(`${this.render(at)}\n`);
      this.lastQuarter = quarter;
    }
    this.lastDraw = at;
  }

  /** Prints the final state (with `message` after it, e.g. "done") and ends the line; `done` sets the amount first. */
  finish(message?: string, done?: number): void {
    if (this.finished) return;
    this.finished = true;
    if (done !== undefined) this.done = done;
    const text = `${this.render(this.now(), true)}${message === undefined ? '' : `  ${message}`}`;
    this.stream.write(this.interactive ? `\r${text}\x1b[K\n` : `${text}\n`);
  }

  /** Ends a TTY line drawn so far without a final render (before an error is printed). */
  abort(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.interactive && this.drawn) this.stream.write('\n');
  }

  /** The line as it would be printed at time `at`. */
  render(at: number = this.now(), final = false): string {
    const { label, total } = this.options;
    const unit = this.options.unit ?? 'bytes';
    const fraction = this.fraction();
    const parts = [label];
    if (fraction !== undefined) {
      const width = this.options.width ?? 24;
      const filled = Math.round(fraction * width);
      parts.push(`[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`, `${Math.floor(fraction * 100)}%`.padStart(4));
    }
    if (unit === 'bytes') {
      const elapsed = Math.max(at - this.started, 1) / 1000;
      const rate = this.done / elapsed;
      parts.push(total === undefined ? formatBytes(this.done) : `${formatBytes(this.done)}/${formatBytes(total)}`);
      parts.push(`${formatBytes(rate)}/s`);
      if (final) parts.push(`in ${formatDuration(elapsed)}`);
      else if (total !== undefined) parts.push(`ETA ${rate > 0 ? formatDuration((total - this.done) / rate) : '?'}`);
    }
    return parts.join(' ');
  }

  private fraction(): number | undefined {
    const total = this.options.unit === 'percent' ? 100 : this.options.total;
    if (total === undefined || total <= 0) return undefined;
    return Math.min(1, Math.max(0, this.done / total));
  }
}

/** An error whose message is meant for the user as it is (wrong flags, a failed job). */
export class CliError extends Error {
  constructor(
    message: string,
    /** The process exit code. @default 1 */
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

const NETWORK_CODES: readonly unknown[] = ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH'];
const REACH_HINT = 'is the gateway running? start it with "aiaas up", or check --url / --grpc / AIAAS_URL';

/**
 * The one line an error prints as: `aiaas: <message>`, newlines folded, grpc-js's connection
 * failure reworded, and a hint when the gateway cannot be reached at all.
 */
export function formatError(err: unknown): string {
  const error = err instanceof Error ? err : new Error(String(err));
  let message = error.message.replace(/\s*\n\s*/g, '; ').trim() || error.name;
  // grpc-js: "No connection established. Last error: Error: connect ECONNREFUSED h:p. Resolution note: "
  const grpc = /^No connection established\. Last error: (?:Error: )?(.*?)\.?\s*(?:Resolution note:.*)?$/.exec(message);
  if (grpc !== null) message = `cannot reach the gateway over gRPC: ${grpc[1]}`;
  const code = (error as { code?: unknown }).code;
  const cause = (error as { cause?: { code?: unknown } }).cause;
  const inMessage = NETWORK_CODES.filter((c) => new RegExp(`\\b${String(c)}\\b`).test(message));
  const network = [code, cause?.code, ...inMessage].find((c) => NETWORK_CODES.includes(c));
  if (typeof network === 'string') {
    message = message.includes(network) ? `${message}; ${REACH_HINT}` : `${message} (${network}: ${REACH_HINT})`;
  }
  return `aiaas: ${message}`;
}
