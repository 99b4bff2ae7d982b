import { status } from '@grpc/grpc-js';
import { UnrecoverableError } from 'bullmq';
import { PassSettingsError } from '@aiaas/onnx';
import { JobCancelledError, JobFailedError, classifyFailure, isDeterministicFailure } from './job-errors';

describe('job failure classification', () => {
  it('never retries bad settings, bad models or refusals, matching by name across processes', () => {
    expect(isDeterministicFailure(new PassSettingsError('prune: sparsity must be in [0, 1]'))).toBe(true);
    // What a sandboxed child's error looks like in the parent: a plain object with the name copied.
    expect(isDeterministicFailure({ name: 'PassSettingsError', message: 'x' })).toBe(true);
    expect(isDeterministicFailure({ name: 'UnrecoverableError', message: 'x' })).toBe(true);
    expect(isDeterministicFailure(Object.assign(new Error('gone'), { code: status.NOT_FOUND, details: 'gone' }))).toBe(
      true,
    );
    const classified = classifyFailure(new PassSettingsError('bad'));
    expect(classified).toBeInstanceOf(UnrecoverableError);
    expect(classified.name).toBe('UnrecoverableError');
    expect(classified.message).toBe('PassSettingsError: bad');
  });

  it('retries transient faults: registry unavailable, deadline, crashes', () => {
    const unavailable = Object.assign(new Error('14 UNAVAILABLE'), { code: status.UNAVAILABLE, details: 'down' });
    expect(isDeterministicFailure(unavailable)).toBe(false);
    expect(classifyFailure(unavailable)).toBe(unavailable);
    expect(isDeterministicFailure(new Error('Unexpected exit code: 70 signal: null'))).toBe(false);
    expect(
      isDeterministicFailure(Object.assign(new Error('slow'), { code: status.DEADLINE_EXCEEDED, details: '' })),
    ).toBe(false);
  });

  it('keeps the figures of a failed validation, and cancellation is final', () => {
    const failed = new JobFailedError('validation failed', '{"cosine":0.5}');
    expect(classifyFailure(failed)).toBe(failed);
    expect(failed.report).toBe('{"cosine":0.5}');
    expect(new JobCancelledError('j1')).toBeInstanceOf(UnrecoverableError);
  });
});
