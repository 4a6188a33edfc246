import { backoffDelay, parseRetryAfter } from '../backoff';

describe('backoffDelay', () => {
  const schedule = { baseMs: 1000, maxMs: 30_000 };

  it('doubles the cap with every attempt', () => {
    const upper = [0, 1, 2, 3].map(attempt =>
      backoffDelay(attempt, schedule, () => 1)
    );
    expect(upper).toEqual([1000, 2000, 4000, 8000]);
  });

  it('never waits less than half the cap', () => {
    const lower = [0, 1, 2, 3].map(attempt =>
      backoffDelay(attempt, schedule, () => 0)
    );
    expect(lower).toEqual([500, 1000, 2000, 4000]);
  });

  it('stops growing at maxMs, even after very many attempts', () => {
    expect(backoffDelay(10, schedule, () => 1)).toBe(30_000);
    expect(backoffDelay(10_000, schedule, () => 1)).toBe(30_000);
  });

  it('spreads clients that failed together', () => {
    const delays = [0.1, 0.5, 0.9].map(r => backoffDelay(2, schedule, () => r));
    expect(new Set(delays).size).toBe(3);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-27T10:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('5', now)).toBe(5000);
  });

  it('reads an HTTP date', () => {
    expect(parseRetryAfter('Fri, 27 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
  });

  it('ignores an absent or unreadable header', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
