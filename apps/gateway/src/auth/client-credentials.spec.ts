import { parseTokenRequest } from './client-credentials';
import type { TokenHttpRequest } from './client-credentials';

const FORM = 'application/x-www-form-urlencoded';
const basic = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

function parse(request: TokenHttpRequest) {
  return parseTokenRequest(request);
}

describe('parseTokenRequest', () => {
  it('reads client credentials from a form body, a JSON body, a parsed object and Basic auth', () => {
    const form = parse({
      contentType: `${FORM}; charset=utf-8`,
      body: 'grant_type=client_credentials&client_id=c1&client_secret=s%2B1',
    });
    expect(form).toEqual({ ok: true, grant: { clientId: 'c1', clientSecret: 's+1', viaBasic: false } });

    const json = parse({
      contentType: 'application/json',
      body: Buffer.from(
        JSON.stringify({ grant_type: 'client_credentials', client_id: 'c2', client_secret: 's2', scope: 'infer' }),
      ),
    });
    expect(json).toEqual({
      ok: true,
      grant: { clientId: 'c2', clientSecret: 's2', viaBasic: false, scopes: ['infer'] },
    });

    const object = parse({ body: { grant_type: 'client_credentials', client_id: 'c3', client_secret: 's3' } });
    expect(object.ok && object.grant.clientId).toBe('c3');

    const viaBasic = parse({
      contentType: FORM,
      body: 'grant_type=client_credentials',
      authorization: basic('c4', 'a:b c'),
    });
    expect(viaBasic).toEqual({ ok: true, grant: { clientId: 'c4', clientSecret: 'a:b c', viaBasic: true } });
  });

  it('answers unsupported_grant_type and invalid_request with 400', () => {
    const wrongGrant = parse({ contentType: FORM, body: 'grant_type=password&client_id=c&client_secret=s' });
    expect(wrongGrant.ok).toBe(false);
    if (wrongGrant.ok) return;
    expect(wrongGrant.response.status).toBe(400);
    expect(wrongGrant.response.body).toEqual({
      error: 'unsupported_grant_type',
      error_description: 'grant_type "password" is not supported: expected client_credentials',
    });
    expect(wrongGrant.response.headers['cache-control']).toBe('no-store');

    const cases: [TokenHttpRequest, string][] = [
      [{ contentType: FORM, body: 'client_id=c&client_secret=s' }, 'missing grant_type'],
      [{ contentType: 'text/plain', body: 'grant_type=client_credentials' }, 'unsupported Content-Type "text/plain"'],
      [{ contentType: 'application/json', body: '{nope' }, 'not valid JSON'],
      [{ contentType: 'application/json', body: '[1]' }, 'must be an object'],
      [{ contentType: FORM, body: 'grant_type=client_credentials&grant_type=client_credentials' }, 'repeated'],
      [
        { contentType: FORM, body: 'grant_type=client_credentials&client_secret=x', authorization: basic('c', 's') },
        'both in Authorization and in the body',
      ],
    ];
    for (const [request, expected] of cases) {
      const result = parse(request);
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.response.status).toBe(400);
      expect(result.response.body).toMatchObject({ error: 'invalid_request' });
      expect((result.response.body as { error_description: string }).error_description).toContain(expected);
    }
  });

  it('answers invalid_client with 401 and a Basic challenge for missing or unreadable credentials', () => {
    for (const request of [
      { contentType: FORM, body: 'grant_type=client_credentials&client_id=c' },
      { contentType: FORM, body: 'grant_type=client_credentials', authorization: 'Bearer abc' },
      {
        contentType: FORM,
        body: 'grant_type=client_credentials',
        authorization: `Basic ${Buffer.from('nocolon').toString('base64')}`,
      },
    ]) {
      const result = parse(request);
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.response.status).toBe(401);
      expect(result.response.body).toMatchObject({ error: 'invalid_client' });
      expect(result.response.headers['www-authenticate']).toMatch(/^Basic realm=/);
    }
  });

  it('answers invalid_scope for an unknown requested scope', () => {
    const result = parse({
      contentType: FORM,
      body: 'grant_type=client_credentials&client_id=c&client_secret=s&scope=root',
    });
    expect(!result.ok && result.response.body).toMatchObject({ error: 'invalid_scope' });
    expect(!result.ok && result.response.status).toBe(400);
  });
});
