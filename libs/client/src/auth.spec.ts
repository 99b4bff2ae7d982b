import { ApiKeyCredentials, ClientCredentials } from './auth';
import type { TokenResponse } from './auth';
import { AiaasError } from './errors';

describe('ClientCredentials', () => {
  let now = 0;
  let issued = 0;
  let fail = false;
  const fetchToken = async (): Promise<TokenResponse> => {
    if (fail) throw new AiaasError('UNAVAILABLE', 'token endpoint down');
    issued += 1;
    return { access_token: `t${issued}`, token_type: 'Bearer', expires_in: 10 };
  };
  beforeEach(() => {
    now = 1_000_000;
    issued = 0;
    fail = false;
  });

  it('caches the token and fetches the next one at 80% of its lifetime', async () => {
    const credentials = new ClientCredentials(fetchToken, () => now);
    expect(await credentials.authorization()).toBe('Bearer t1');
    now += 7_999;
    expect(await credentials.authorization()).toBe('Bearer t1');
    now += 1;
    expect(await credentials.authorization()).toBe('Bearer t2');
    expect(issued).toBe(2);
  });

  it('shares one token request between concurrent callers', async () => {
    const credentials = new ClientCredentials(fetchToken, () => now);
    const headers = await Promise.all(Array.from({ length: 10 }, () => credentials.authorization()));
    expect(new Set(headers)).toEqual(new Set(['Bearer t1']));
    expect(issued).toBe(1);
  });

  it('drops a refused token (once) so the next call fetches a fresh one', async () => {
    const credentials = new ClientCredentials(fetchToken, () => now);
    const first = await credentials.authorization();
    expect(credentials.rejected(first)).toBe(true);
    expect(await credentials.authorization()).toBe('Bearer t2');
    // A stale refusal (of a token already replaced) keeps the current one.
    credentials.rejected(first);
    expect(await credentials.authorization()).toBe('Bearer t2');
  });

  it('keeps using a still-valid token when a refresh fails, and fails once it expired', async () => {
    const credentials = new ClientCredentials(fetchToken, () => now);
    await credentials.authorization();
    fail = true;
    now += 9_000;
    expect(await credentials.authorization()).toBe('Bearer t1');
    now += 1_000;
    await expect(credentials.authorization()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    fail = false;
    expect(await credentials.authorization()).toBe('Bearer t2');
  });
});

describe('ApiKeyCredentials', () => {
  it('sends the key and never asks for a retry', async () => {
    const key = new ApiKeyCredentials(' aiaas_x ');
    expect(await key.authorization()).toBe('Bearer aiaas_x');
    expect(key.rejected()).toBe(false);
    expect(() => new ApiKeyCredentials('')).toThrow(/empty/);
  });
});
