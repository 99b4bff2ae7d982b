import { InvalidArgumentError, PermissionDeniedError } from '@aiaas/common';
import { formatScopes, hasScope, parseScopes, requireScope, scopesAllowed } from './scopes';
import type { Principal } from './scopes';

const principal = (scopes: Principal['scopes']): Principal => ({
  tenant: 'acme',
  principalId: 'k1',
  scopes,
  kind: 'api-key',
});

describe('scopes', () => {
  it('parses lists and space- or comma-separated strings, de-duplicated in canonical order', () => {
    expect(parseScopes('jobs:read infer,infer  models:read')).toEqual(['infer', 'models:read', 'jobs:read']);
    expect(parseScopes(['deploy', ' admin '])).toEqual(['deploy', 'admin']);
    expect(formatScopes(['infer', 'deploy'])).toBe('infer deploy');
  });

  it('rejects unknown scopes naming each one and the valid ones, and an empty list', () => {
    expect(() => parseScopes('infer models:delete root')).toThrow(InvalidArgumentError);
    expect(() => parseScopes('infer models:delete root')).toThrow(
      'scopes: unknown "models:delete", "root"; expected any of infer, models:read, models:write, deploy, jobs:write, jobs:read, admin',
    );
    expect(() => parseScopes('  ')).toThrow('expected at least one of');
    expect(() => parseScopes([])).toThrow(InvalidArgumentError);
  });

  it('requireScope passes a held scope and denies a missing one, naming it', () => {
    expect(() => requireScope(principal(['infer']), 'infer')).not.toThrow();
    const denied = (() => {
      try {
        requireScope(principal(['infer', 'models:read']), 'deploy');
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(denied).toBeInstanceOf(PermissionDeniedError);
    expect((denied as Error).message).toBe('missing scope "deploy": this credential has infer, models:read');
    expect((denied as PermissionDeniedError).httpStatus).toBe(403);
  });

  it('admin implies every scope; nothing else implies admin', () => {
    for (const scope of ['infer', 'models:write', 'deploy', 'jobs:write', 'admin'] as const) {
      expect(hasScope(principal(['admin']), scope)).toBe(true);
    }
    expect(
      hasScope(principal(['infer', 'models:read', 'models:write', 'deploy', 'jobs:read', 'jobs:write']), 'admin'),
    ).toBe(false);
    expect(scopesAllowed(['admin'], ['deploy', 'infer'])).toBe(true);
    expect(scopesAllowed(['infer'], ['infer', 'deploy'])).toBe(false);
  });
});
