import { Writable } from 'node:stream';
import pino from 'pino';
import type { Logger } from 'pino';
import { createLogger } from './logger';

/** Logs `fields` at info with the logger `make` builds and returns the line as parsed JSON and as text. */
function logOnce(
  fields: Record<string, unknown>,
  make: (destination: Writable) => Logger = (destination) =>
    createLogger({ service: 'test', level: 'info', destination }),
): { line: Record<string, unknown>; text: string } {
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString('utf8');
      callback();
    },
  });
  make(destination).info(fields, 'line');
  return { line: JSON.parse(text) as Record<string, unknown>, text };
}

describe('createLogger redaction', () => {
  it.each([
    ['a top-level field', { token: 'S3CRET-1' }, { token: '[redacted]' }],
    [
      'a field one object down',
      { config: { internalToken: 'S3CRET-2', port: 1 } },
      { config: { internalToken: '[redacted]', port: 1 } },
    ],
    [
      'an OAuth2 body',
      { body: { client_secret: 'S3CRET-3', grant_type: 'client_credentials' } },
      { body: { client_secret: '[redacted]', grant_type: 'client_credentials' } },
    ],
    [
      'a token answer',
      { answer: { access_token: 'S3CRET-4', token_type: 'Bearer' } },
      { answer: { access_token: '[redacted]', token_type: 'Bearer' } },
    ],
    [
      'request headers two levels down',
      { req: { headers: { authorization: 'Bearer S3CRET-5', host: 'h' } } },
      { req: { headers: { authorization: '[redacted]', host: 'h' } } },
    ],
    [
      'headers three levels down',
      { call: { req: { headers: { cookie: 'sid=S3CRET-6' } } } },
      { call: { req: { headers: { cookie: '[redacted]' } } } },
    ],
    [
      'the internal-token header',
      { headers: { 'x-aiaas-internal-token': 'S3CRET-7' } },
      { headers: { 'x-aiaas-internal-token': '[redacted]' } },
    ],
    [
      'an API key header',
      { request: { headers: { 'x-api-key': 'S3CRET-8' } } },
      { request: { headers: { 'x-api-key': '[redacted]' } } },
    ],
  ])('blanks %s', (_what, fields, expected) => {
    const { line, text } = logOnce(fields);
    expect(line).toMatchObject(expected);
    expect(text).not.toMatch(/S3CRET/);
  });

  it('blanks secret fields of a logged error and keeps its message and stack', () => {
    const err = Object.assign(new Error('upstream refused'), {
      token: 'S3CRET-9',
      config: { headers: { authorization: 'Bearer S3CRET-10' } },
    });
    const { line, text } = logOnce({ err });
    expect(line['err']).toMatchObject({
      type: 'Error',
      message: 'upstream refused',
      token: '[redacted]',
      config: { headers: { authorization: '[redacted]' } },
    });
    expect((line['err'] as { stack: string }).stack).toContain('upstream refused');
    expect(text).not.toMatch(/S3CRET/);
  });

  it('writes plain values exactly as pino does without redaction (they skip the redactor)', () => {
    const fields = {
      text: 'quote " backslash \\ newline \n tab \t nul \u0000 é 🙂 lone \ud800',
      integer: 42,
      float: -1.5e-7,
      infinite: Number.POSITIVE_INFINITY,
      yes: true,
      nothing: null,
      big: 12345678901234567890n,
    };
    const plain = (destination: Writable): Logger => pino({ level: 'info', base: {}, timestamp: false }, destination);
    const ours = (destination: Writable): Logger => {
      const logger = createLogger({ service: 'test', level: 'info', destination });
      logger.setBindings({});
      return logger;
    };
    const field = (text: string, name: string): string => text.slice(text.indexOf(`"${name}":`)).split(/,"|}\n/)[0]!;
    const expected = logOnce(fields, plain).text;
    const written = logOnce(fields, ours).text;
    for (const name of Object.keys(fields)) expect(field(written, name)).toBe(field(expected, name));
  });

  it('keeps everything else as it was', () => {
    const { line } = logOnce({ model: 'mlp', version: 2, headers: { 'content-type': 'application/json' } });
    expect(line).toMatchObject({
      model: 'mlp',
      version: 2,
      headers: { 'content-type': 'application/json' },
      service: 'test',
    });
  });
});
