import { Writable } from 'node:stream';
import { createLogger } from './logger';

/** Logs `fields` at info and returns the line as parsed JSON and as text. */
function logOnce(fields: Record<string, unknown>): { line: Record<string, unknown>; text: string } {
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString('utf8');
      callback();
    },
  });
  createLogger({ service: 'test', level: 'info', destination }).info(fields, 'line');
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
