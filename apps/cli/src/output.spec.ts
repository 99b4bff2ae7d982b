import { AiaasError } from '@aiaas/client';
import {
  ProgressBar,
  formatBytes,
  formatDuration,
  formatError,
  formatFields,
  formatJson,
  formatMs,
  formatTable,
} from './output';

function collector(isTTY: boolean) {
  const chunks: string[] = [];
  return { stream: { isTTY, write: (text: string) => chunks.push(text) }, text: () => chunks.join(''), chunks };
}

describe('output helpers', () => {
  it('aligns table columns, figures to the right, without trailing spaces', () => {
    const text = formatTable(
      ['NAME', { header: 'SIZE', align: 'right' }, 'NOTE'],
      [
        ['mlp', 12, ''],
        ['a-longer-name', 1234, 'x'],
        ['nulls', undefined, null],
      ],
    );
    expect(text).toBe(
      ['NAME           SIZE  NOTE', 'mlp              12', 'a-longer-name  1234  x', 'nulls'].join('\n') + '\n',
    );
  });

  it('prints fields and JSON (bigints as numbers)', () => {
    expect(
      formatFields([
        ['a', 1],
        ['long key', 'v'],
        ['empty', ''],
      ]),
    ).toBe('a:         1\nlong key:  v\nempty:\n');
    expect(formatJson({ n: 5n, s: 'x' })).toBe('{\n  "n": 5,\n  "s": "x"\n}\n');
  });

  it('formats sizes, durations and milliseconds', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MiB');
    expect(formatBytes(300 * 1024 * 1024)).toBe('300 MiB');
    expect(formatDuration(4.4)).toBe('4s');
    expect(formatDuration(185)).toBe('3m05s');
    expect(formatDuration(7260)).toBe('2h01m');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('?');
    expect(formatMs(0.0421)).toBe('0.042');
    expect(formatMs(12.3456)).toBe('12.35');
    expect(formatMs(1234.5)).toBe('1235');
  });

  it('redraws one line on a TTY with bytes, rate and ETA, throttled', () => {
    let now = 0;
    const out = collector(true);
    const bar = new ProgressBar({ label: 'up', total: 4096, stream: out.stream, now: () => now, width: 4 });
    now = 1000;
    bar.update(1024);
    now = 1050; // within redrawMs: not drawn
    bar.update(2048);
    now = 2000;
    bar.update(2048);
    bar.finish('done');
    expect(out.chunks).toHaveLength(3);
    expect(out.chunks[0]).toBe('\rup [#---]  25% 1.0 KiB/4.0 KiB 1.0 KiB/s ETA 3s\x1b[K');
    expect(out.chunks[1]).toBe('\rup [##--]  50% 2.0 KiB/4.0 KiB 1.0 KiB/s ETA 2s\x1b[K');
    expect(out.chunks[2]).toBe('\rup [##--]  50% 2.0 KiB/4.0 KiB 1.0 KiB/s in 2s  done\x1b[K\n');
  });

  it('prints occasional whole lines when not a TTY: each new quarter or every lineMs, and the end', () => {
    let now = 0;
    const out = collector(false);
    const bar = new ProgressBar({ label: 'f', total: 100, stream: out.stream, now: () => now, lineMs: 1000, width: 4 });
    for (let done = 0; done <= 100; done += 5) {
      now += 10;
      bar.update(done);
    }
    bar.finish();
    const lines = out.text().trimEnd().split('\n');
    // 0%, 25%, 50%, 75%, then the final line; never a carriage return.
    expect(lines.map((l) => /(\d+)%/.exec(l)![1])).toEqual(['0', '25', '50', '75', '100']);
    expect(out.text()).not.toContain('\r');
    // Time alone also brings a line.
    const slow = collector(false);
    const bar2 = new ProgressBar({ label: 's', stream: slow.stream, now: () => now, lineMs: 1000 });
    bar2.update(1);
    now += 500;
    bar2.update(2);
    now += 600;
    bar2.update(3);
    expect(slow.chunks).toHaveLength(2);
    expect(slow.chunks[1]).toMatch(/^s 3 B /);
  });

  it('shows percent bars for jobs, and abort ends a drawn TTY line', () => {
    const out = collector(true);
    const bar = new ProgressBar({ label: 'quantize', unit: 'percent', stream: out.stream, width: 10 });
    bar.update(40);
    bar.abort();
    bar.finish('ignored after abort');
    expect(out.text()).toBe('\rquantize [####------]  40%\x1b[K\n');
  });

  it('prints errors as one line, with a hint when the gateway is unreachable', () => {
    expect(formatError(new Error('bad\n  thing'))).toBe('aiaas: bad; thing');
    expect(formatError(new AiaasError('NOT_FOUND', 'model "x" not found'))).toBe('aiaas: model "x" not found');
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(formatError(refused)).toMatch(/^aiaas: connect ECONNREFUSED 127\.0\.0\.1:1; is the gateway running\?/);
    const wrapped = new AiaasError('UNAVAILABLE', 'GET /v1/models: cannot reach the gateway', undefined, {
      cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }),
    });
    expect(formatError(wrapped)).toBe(
      'aiaas: GET /v1/models: cannot reach the gateway (ECONNREFUSED: is the gateway running? start it with "aiaas up", or check --url / --grpc / AIAAS_URL)',
    );
    const grpc = new AiaasError(
      'UNAVAILABLE',
      'No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:1. Resolution note: ',
    );
    expect(formatError(grpc)).toBe(
      'aiaas: cannot reach the gateway over gRPC: connect ECONNREFUSED 127.0.0.1:1; is the gateway running? start it with "aiaas up", or check --url / --grpc / AIAAS_URL',
    );
    expect(formatError('text')).toBe('aiaas: text');
  });
});
