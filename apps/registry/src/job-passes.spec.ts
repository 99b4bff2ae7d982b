import { checkJobPasses } from './job-passes';

describe('checkJobPasses', () => {
  it('parses known passes and their settings', () => {
    expect(
      checkJobPasses([
        { name: 'quantize-int8', settings_json: '{"perChannel":true}' },
        { name: 'graph-optimize', settings_json: '{"level":"basic"}' },
        { name: 'fp16-weights', settings_json: '' },
        { name: 'graph-optimize', settings_json: '{}' },
      ]),
    ).toEqual([
      { name: 'quantize-int8', settings: { perChannel: true } },
      { name: 'graph-optimize', settings: { level: 'basic' } },
      { name: 'fp16-weights', settings: {} },
      // The default level is filled in, so the record shows what the worker runs.
      { name: 'graph-optimize', settings: { level: 'basic' } },
    ]);
  });

  it('lists every bad pass at once: unknown names, bad JSON, unknown keys, out-of-range values', () => {
    let message = '';
    try {
      checkJobPasses([
        { name: 'quantise', settings_json: '{}' },
        { name: 'fp16', settings_json: '[1]' },
        { name: 'prune', settings_json: '{"mode":"structured","sparsity":1.5}' },
        { name: 'quantize-int8', settings_json: '{"perchannel":true}' },
        { name: 'benchmark', settings_json: '{oops' },
      ]);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/passes\[0\] "quantise": unknown pass/);
    expect(message).toMatch(/passes\[1\] "fp16": settings_json must be a JSON object/);
    expect(message).toMatch(/passes\[2\] "prune": bad settings: sparsity/);
    expect(message).toMatch(/passes\[3\] "quantize-int8": bad settings/);
    expect(message).toMatch(/passes\[4\] "benchmark": settings_json is not JSON/);
  });

  it('accepts quantize-int8 conv modes and prune convChannels, and refuses contradictions and bad values', () => {
    expect(
      checkJobPasses([
        { name: 'quantize-int8', settings_json: '{"conv":"static","perChannel":true}' },
        { name: 'quantize-int8', settings_json: '{"conv":"dynamic"}' },
        { name: 'prune', settings_json: '{"mode":"structured","sparsity":0.5,"convChannels":true}' },
      ]).map((pass) => pass.settings),
    ).toEqual([
      { conv: 'static', perChannel: true },
      { conv: 'dynamic' },
      { mode: 'structured', sparsity: 0.5, convChannels: true },
    ]);
    let message = '';
    try {
      checkJobPasses([
        { name: 'quantize-int8', settings_json: '{"conv":"static","opTypes":["Gemm","Conv"]}' },
        { name: 'quantize-int8', settings_json: '{"conv":"qlinear"}' },
        { name: 'prune', settings_json: '{"mode":"unstructured","sparsity":0.5,"convChannels":true}' },
        { name: 'prune', settings_json: '{"mode":"structured","sparsity":0.5,"convChannels":"yes"}' },
      ]);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/passes\[0\] "quantize-int8": bad settings: conv: conv 'static' and 'Conv' in opTypes/);
    expect(message).toMatch(
      /passes\[1\] "quantize-int8": bad settings: conv: Invalid enum value\. Expected 'dynamic' \| 'static'/,
    );
    expect(message).toMatch(
      /passes\[2\] "prune": bad settings: convChannels: convChannels applies to mode 'structured' only/,
    );
    expect(message).toMatch(/passes\[3\] "prune": bad settings: convChannels: Expected boolean/);
  });

  it('refuses no passes, and test-only passes unless allowed', () => {
    expect(() => checkJobPasses([])).toThrow(/at least one pass/);
    expect(() => checkJobPasses([{ name: 'crash-exit', settings_json: '' }])).toThrow(/unknown pass/);
    expect(checkJobPasses([{ name: 'crash-exit', settings_json: '' }], { allowTestPasses: true })).toHaveLength(1);
  });
});
