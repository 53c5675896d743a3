import { describe, expect, it } from 'vitest';
import { LruTileCache } from '../../server/tiles/cache.js';
import { RevisionReader } from '../../server/tiles/revisions.js';

const tile = (bytes: number, revisionTag = 'r1') => ({ revisionTag, bytes: new Uint8Array(bytes) });

describe('LruTileCache', () => {
  it('keeps tiles until the byte budget is spent, then drops the least recently used', () => {
    // Each entry costs its bytes plus about 200 bytes of bookkeeping.
    const cache = new LruTileCache(3 * 1300);
    cache.put('a', tile(1000));
    cache.put('b', tile(1000));
    cache.put('c', tile(1000));
    expect(cache.size).toBe(3);
    expect(cache.get('a')?.bytes.length).toBe(1000); // a is now the most recent
    cache.put('d', tile(1000));
    expect(cache.get('b')).toBeUndefined();
    expect(['a', 'c', 'd'].map((k) => cache.get(k) !== undefined)).toEqual([true, true, true]);
    expect(cache.usedBytes).toBeLessThanOrEqual(cache.maxBytes);
  });

  it('drops as many small tiles as one big tile needs', () => {
    const cache = new LruTileCache(10_000);
    for (let i = 0; i < 20; i++) cache.put(`small/${i}`, tile(100));
    cache.put('big', tile(8000));
    expect(cache.get('big')).toBeDefined();
    expect(cache.usedBytes).toBeLessThanOrEqual(10_000);
    expect(cache.get('small/0')).toBeUndefined();
    expect(cache.get('small/19')).toBeDefined();
  });

  it('replaces the entry of an address instead of keeping the old revision beside it', () => {
    const cache = new LruTileCache(100_000);
    cache.put('n/12/1/1', tile(500, 'r1'));
    const used = cache.usedBytes;
    cache.put('n/12/1/1', tile(500, 'r2'));
    expect(cache.size).toBe(1);
    expect(cache.usedBytes).toBe(used);
    expect(cache.get('n/12/1/1')?.revisionTag).toBe('r2');
  });

  it('does not store a tile larger than the whole cache, and counts empty tiles', () => {
    const cache = new LruTileCache(1000);
    cache.put('huge', tile(5000));
    expect(cache.get('huge')).toBeUndefined();
    cache.put('empty', tile(0));
    expect(cache.get('empty')?.bytes.length).toBe(0);
    expect(cache.usedBytes).toBeGreaterThan(0);
  });

  it('refuses a budget that is not a number', () => {
    expect(() => new LruTileCache(Number.NaN)).toThrow(/bytes/);
  });
});

describe('RevisionReader', () => {
  /**
   * A stand-in database and clock: each query sees the revision current when it was sent
   * (its snapshot) and answers when the test says so; time moves only when the test says.
   */
  function fakeDatabase() {
    const pending: (() => void)[] = [];
    let revision = 1;
    let sent = 0;
    let time = 0;
    return {
      get sent() {
        return sent;
      },
      now: () => time,
      tick: () => ++time,
      query: () => {
        sent++;
        const snapshot = revision;
        return new Promise<Map<string, string>>((resolve) => pending.push(() => resolve(new Map([['neighbourhoods', `neighbourhoods:${snapshot}`]]))));
      },
      commit: () => revision++,
      answer: () => pending.shift()!(),
    };
  }
  // Two turns of the event loop: a queued read goes out on the turn after an answer.
  const settle = () => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

  it('never answers a request from a read sent before the request arrived', async () => {
    const db = fakeDatabase();
    const reader = new RevisionReader(db.query, db.now, 1);
    const first = reader.read(db.tick());
    db.tick();
    // A change commits while the first read is out; requests arriving now must see it.
    db.commit();
    const arrived = db.tick();
    const second = reader.read(arrived);
    const third = reader.read(arrived);
    expect(db.sent).toBe(1); // their read waits for the first to come back
    db.answer();
    expect((await first).get('neighbourhoods')).toBe('neighbourhoods:1');
    await settle();
    expect(db.sent).toBe(2); // one read serves both
    db.answer();
    expect((await second).get('neighbourhoods')).toBe('neighbourhoods:2');
    expect(await third).toBe(await second);
  });

  it('sends a second read at once while fewer than maxInFlight are out', async () => {
    const db = fakeDatabase();
    const reader = new RevisionReader(db.query, db.now, 2);
    const first = reader.read(db.tick());
    db.commit();
    const second = reader.read(db.tick());
    expect(db.sent).toBe(2);
    const third = reader.read(db.tick());
    expect(db.sent).toBe(2); // two out already: the third waits for one of them
    db.answer();
    expect((await first).get('neighbourhoods')).toBe('neighbourhoods:1');
    await settle();
    expect(db.sent).toBe(3);
    db.answer();
    db.answer();
    expect((await second).get('neighbourhoods')).toBe('neighbourhoods:2');
    expect((await third).get('neighbourhoods')).toBe('neighbourhoods:2');
  });

  it('lets a request use a read sent after it arrived, even one already back', async () => {
    const db = fakeDatabase();
    const reader = new RevisionReader(db.query, db.now);
    const arrived = db.tick();
    // While this request's session is checked, another request sends a read.
    db.tick();
    const other = reader.read(db.now());
    db.answer();
    await other;
    expect(await reader.read(arrived)).toBe(await other);
    expect(db.sent).toBe(1);
    // A request that arrives after that read was sent needs a new one.
    db.tick();
    db.commit();
    const later = reader.read(db.tick());
    await settle();
    expect(db.sent).toBe(2);
    db.answer();
    expect((await later).get('neighbourhoods')).toBe('neighbourhoods:2');
  });

  it('takes a read the session check sent after the request arrived, and no older one', async () => {
    const db = fakeDatabase();
    const reader = new RevisionReader(db.query, db.now);
    const offeredEarly = db.tick();
    reader.offer(offeredEarly, Promise.resolve(new Map([['neighbourhoods', 'neighbourhoods:1']])));
    const arrived = db.tick();
    db.commit();
    // The request's session check, sent after it arrived, read the revisions too.
    reader.offer(db.tick(), Promise.resolve(new Map([['neighbourhoods', 'neighbourhoods:2']])));
    expect((await reader.read(arrived)).get('neighbourhoods')).toBe('neighbourhoods:2');
    expect(db.sent).toBe(0);
    // An offer older than the latest read is not taken.
    reader.offer(offeredEarly, Promise.resolve(new Map([['neighbourhoods', 'neighbourhoods:1']])));
    expect((await reader.read(arrived)).get('neighbourhoods')).toBe('neighbourhoods:2');
    // A request that arrives after every read sends its own.
    const later = reader.read(db.tick());
    expect(db.sent).toBe(1);
    db.answer();
    expect((await later).get('neighbourhoods')).toBe('neighbourhoods:2');
    // A failed offer nobody uses does not take the process down.
    reader.offer(db.tick(), Promise.reject(new Error('connection lost')));
    await settle();
  });

  it('recovers after a failed read', async () => {
    let fail = true;
    let time = 0;
    const reader = new RevisionReader(async () => {
      if (fail) throw new Error('connection lost');
      return new Map([['counties', 'counties:3']]);
    }, () => time, 1);
    const failing = reader.read(++time);
    const queued = reader.read(++time);
    fail = false;
    await expect(failing).rejects.toThrow('connection lost');
    expect((await queued).get('counties')).toBe('counties:3');
  });
});
