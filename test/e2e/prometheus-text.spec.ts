import { Counter, Histogram, Registry } from 'prom-client';
import { parsePrometheusText, sampleNames, sumSamples } from './prometheus-text';

describe('parsePrometheusText', () => {
  it('reads what prom-client writes: families, labels with escapes, histograms', async () => {
    const registry = new Registry();
    const counter = new Counter({ name: 'x_total', help: 'X.', labelNames: ['a'], registers: [registry] });
    const histogram = new Histogram({ name: 'y_seconds', help: 'Y.', buckets: [0.1, 1], registers: [registry] });
    counter.inc({ a: 'quote " backslash \\ newline \n' }, 2);
    counter.inc({ a: 'plain' });
    histogram.observe(0.5);
    histogram.observe(5);
    const families = parsePrometheusText(await registry.metrics());
    expect(families.get('x_total')).toMatchObject({ type: 'counter', help: 'X.' });
    expect(sumSamples(families, 'x_total', { a: 'quote " backslash \\ newline \n' })).toBe(2);
    expect(sumSamples(families, 'x_total')).toBe(3);
    expect(sumSamples(families, 'y_seconds_bucket', { le: '1' })).toBe(1);
    expect(sumSamples(families, 'y_seconds_count')).toBe(2);
    expect(sampleNames(families)).toEqual(new Set(['x_total', 'y_seconds_bucket', 'y_seconds_sum', 'y_seconds_count']));
  });

  it.each([
    ['a sample without a TYPE', 'x 1\n', /without a # TYPE/],
    ['a bad value', '# TYPE x gauge\nx one\n', /expected a number/],
    ['a bad label name', '# TYPE x gauge\nx{1a="v"} 1\n', /invalid label name "1a"/],
    ['an unterminated label value', '# TYPE x gauge\nx{a="v} 1\n', /unterminated value/],
    ['a bad escape', '# TYPE x gauge\nx{a="\\t"} 1\n', /invalid escape/],
    ['a duplicate series', '# TYPE x gauge\nx{a="1"} 1\nx{a="1"} 2\n', /series given twice/],
    ['a negative counter', '# TYPE x_total counter\nx_total -1\n', /must be >= 0/],
    ['an unknown type', '# TYPE x thing\n', /unknown type "thing"/],
    ['a missing final newline', '# TYPE x gauge\nx 1', /end with a newline/],
    [
      'a histogram without +Inf',
      '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n',
      /le="\+Inf" bucket last/,
    ],
    [
      'a non-cumulative histogram',
      '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n',
      /non-decreasing/,
    ],
    [
      'a histogram count unlike its +Inf bucket',
      '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 1\n',
      /_count 1 differs/,
    ],
  ])('rejects %s', (_what, text, error) => {
    expect(() => parsePrometheusText(text)).toThrow(error);
  });
});
