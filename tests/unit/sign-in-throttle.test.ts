import { describe, expect, it } from 'vitest';
import { DEFAULT_LOGIN_LIMITS, PairQueue, secondsToWait } from '../../server/auth/throttle.js';

describe('secondsToWait', () => {
  const limits = DEFAULT_LOGIN_LIMITS;

  it('lets the first failures go, then doubles the wait up to the cap', () => {
    expect([0, 1, 2].map((n) => secondsToWait(n, 0, limits))).toEqual([0, 0, 0]);
    expect([3, 4, 5, 6, 10].map((n) => secondsToWait(n, 0, limits))).toEqual([1, 2, 4, 8, 128]);
    expect(secondsToWait(30, 0, limits)).toBe(limits.maxDelaySeconds);
  });

  it('counts the wait from the last failure', () => {
    expect(secondsToWait(6, 5, limits)).toBe(3);
    expect(secondsToWait(6, 8, limits)).toBe(0);
    expect(secondsToWait(6, Infinity, limits)).toBe(0);
  });
});

describe('PairQueue', () => {
  it('runs tasks of one key one after another, and of other keys side by side', async () => {
    const queue = new PairQueue();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`${name} start`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`${name} end`);
      if (name === 'a1') throw new Error('a1 failed');
      return name;
    };
    const results = await Promise.allSettled([queue.run('a', task('a1', 30)), queue.run('a', task('a2', 1)), queue.run('b', task('b1', 1))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(log.indexOf('a2 start')).toBeGreaterThan(log.indexOf('a1 end'));
    expect(log.indexOf('b1 end')).toBeLessThan(log.indexOf('a1 end'));
  });
});
