import { Metadata } from '@grpc/grpc-js';
import { RegistryClients } from './registry-clients';
import { currentRequest, REQUEST_ID_HEADER, requestIdFrom, runInRequest, withRequestId } from './request-context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('requestIdFrom', () => {
  it('keeps a well-formed id the caller sent (header string, header list, gRPC metadata Buffer)', () => {
    expect(requestIdFrom('abc-123_x.y:z')).toBe('abc-123_x.y:z');
    expect(requestIdFrom(['first', 'second'])).toBe('first');
    expect(requestIdFrom([Buffer.from('from-bytes')])).toBe('from-bytes');
    expect(requestIdFrom('a'.repeat(128))).toBe('a'.repeat(128));
  });

  it('replaces a missing, too long or unsafe id with a fresh UUID', () => {
    for (const bad of [undefined, '', [], 'a'.repeat(129), 'has space', 'quote"d', 'new\nline', 'é', '<script>', 42]) {
      expect(requestIdFrom(bad)).toMatch(UUID);
    }
    expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined));
  });
});

describe('request context', () => {
  it('is seen across awaits inside runInRequest, and not outside', async () => {
    expect(currentRequest()).toBeUndefined();
    const seen = await runInRequest({ requestId: 'r-1' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      const context = currentRequest();
      if (context !== undefined) context.tenant = 'acme';
      return currentRequest();
    });
    expect(seen).toEqual({ requestId: 'r-1', tenant: 'acme' });
    expect(currentRequest()).toBeUndefined();
  });

  it('adds the id to outgoing metadata only inside a request', () => {
    expect(withRequestId(new Metadata()).get(REQUEST_ID_HEADER)).toEqual([]);
    const inside = runInRequest({ requestId: 'r-2' }, () => withRequestId(new Metadata()));
    expect(inside.get(REQUEST_ID_HEADER)).toEqual(['r-2']);
  });

  it('puts the id on the registry calls made for a request, beside the internal metadata', () => {
    const clients = new RegistryClients('127.0.0.1:1', 'internal-token-0123456789abcdef');
    try {
      const principal = { tenant: 'acme', principalId: 'key-1' };
      const outside = clients.metadata(principal);
      expect(outside.get(REQUEST_ID_HEADER)).toEqual([]);
      const inside = runInRequest({ requestId: 'r-3' }, () => clients.metadata(principal));
      expect(inside.get(REQUEST_ID_HEADER)).toEqual(['r-3']);
      expect(inside.get('x-aiaas-tenant')).toEqual(['acme']);
      expect(runInRequest({ requestId: 'r-4' }, () => clients.metadata(undefined)).get(REQUEST_ID_HEADER)).toEqual([
        'r-4',
      ]);
    } finally {
      clients.close();
    }
  });
});
