import { MemoryBucketStore, RateLimiter } from './rate-limiter';

describe('RateLimiter over MemoryBucketStore', () => {
  let now = 1_000_000;
  const clock = () => now;
  const alice = { tenant: 'acme', principalId: 'key-a' };
  const bob = { tenant: 'acme', principalId: 'key-b' };

  const outcome = async (limiter: RateLimiter, who: typeof alice): Promise<number | 'ok'> => {
    try {
      await limiter.take(who);
      return 'ok';
    } catch (err) {
      return (err as { details: { retry_after_seconds: number } }).details.retry_after_seconds;
    }
  };

  it('lets a burst through, then refuses with the wait until the next token, then refills', async () => {
    const limiter = new RateLimiter(
      { perKey: { ratePerSecond: 0.5, burst: 2 }, perTenant: { ratePerSecond: 0, burst: 0 } },
      new MemoryBucketStore(clock),
    );
    expect(await outcome(limiter, alice)).toBe('ok');
    expect(await outcome(limiter, alice)).toBe('ok');
    expect(await outcome(limiter, alice)).toBe(2); // one token every 2 s
    expect(await outcome(limiter, bob)).toBe('ok'); // its own bucket
    now += 2000;
    expect(await outcome(limiter, alice)).toBe('ok');
    expect(await outcome(limiter, alice)).toBe(2);
  });

  it('a tenant bucket is shared by its credentials, and a refused call spends no token', async () => {
    const limiter = new RateLimiter(
      { perKey: { ratePerSecond: 10, burst: 10 }, perTenant: { ratePerSecond: 1, burst: 3 } },
      new MemoryBucketStore(clock),
    );
    expect(await outcome(limiter, alice)).toBe('ok');
    expect(await outcome(limiter, bob)).toBe('ok');
    expect(await outcome(limiter, alice)).toBe('ok');
    expect(await outcome(limiter, bob)).toBe(1);
    expect(await outcome(limiter, { tenant: 'other', principalId: 'key-c' })).toBe('ok');
    now += 1000;
    expect(await outcome(limiter, bob)).toBe('ok');
  });

  it('is inactive with no limits configured', async () => {
    const limiter = new RateLimiter(
      { perKey: { ratePerSecond: 0, burst: 1 }, perTenant: { ratePerSecond: 0, burst: 1 } },
      new MemoryBucketStore(clock),
    );
    expect(limiter.active).toBe(false);
    for (let i = 0; i < 100; i++) expect(await outcome(limiter, alice)).toBe('ok');
  });
});
