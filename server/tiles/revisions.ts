import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** performance.now() when the request came in, before authentication (see recordArrivals). */
    arrivedAt: number;
  }
}

/**
 * Stamps every request with the time it came in. Registered before the auth guard, so a
 * tile request can use a revision read sent while its session was being checked.
 */
export function recordArrivals(app: FastifyInstance): void {
  app.decorateRequest('arrivedAt', 0);
  app.addHook('onRequest', (request, _reply, done) => {
    request.arrivedAt = performance.now();
    done();
  });
}

type Rows = Map<string, string>;

interface Read {
  /** performance.now() when the query was sent. */
  sentAt: number;
  rows: Promise<Rows>;
}

/**
 * The current layer revisions, read from the database for every request that needs them,
 * so a change committed by any process (another server, a psql session) is seen by the
 * next request — no notification to wait for, nothing to miss while a connection is down.
 *
 * Reads are shared. A request may use any read sent after it arrived (its snapshot is at
 * least as new as the request), whether that read has come back already or not; failing
 * that, a new read goes out, unless `maxInFlight` are out already (one by default, which
 * costs the database least) — then it waits for the next, sent as soon as one returns. Under load the reads run back to back and each
 * serves every request that arrived before it was sent, so the database sees one small
 * query per round trip, not one per request, and a request seldom waits a whole round trip.
 */
export class RevisionReader {
  private latest: Read | undefined;
  private inFlight = 0;
  private queued: { rows: Promise<Rows>; start(): void } | undefined;

  /** `query` reads the revisions from the database (readRevisionRows); a test hands in a stand-in. */
  constructor(
    private readonly query: () => Promise<Rows>,
    private readonly now: () => number = () => performance.now(),
    private readonly maxInFlight = 1,
  ) {}

  /** Revision rows (layer → tag part) from a read sent at or after `since` (a performance.now() time). */
  read(since: number = this.now()): Promise<Rows> {
    if (this.latest && this.latest.sentAt >= since) return this.latest.rows;
    if (this.inFlight < this.maxInFlight) return this.send();
    if (!this.queued) {
      let start!: () => void;
      const rows = new Promise<Rows>((resolve, reject) => {
        start = () => this.send().then(resolve, reject);
      });
      this.queued = { rows, start };
    }
    return this.queued.rows;
  }

  /**
   * A read someone else sent at `sentAt` (performance.now()): the session check reads the
   * revisions too. Later requests use it as one of ours.
   */
  offer(sentAt: number, rows: Promise<Rows>): void {
    // Whoever uses it gets its error; unused, a failure must not crash the process.
    rows.catch(() => {});
    if (!this.latest || sentAt > this.latest.sentAt) this.latest = { sentAt, rows };
  }

  private send(): Promise<Rows> {
    this.inFlight++;
    // Taken before the query goes out, so that the snapshot is never older than sentAt.
    const sentAt = this.now();
    const rows = this.query();
    this.latest = { sentAt, rows };
    // A queued read goes out on the next turn of the event loop, not now: requests read
    // from their sockets in this turn can share it (as in SessionLookup).
    const settled = () =>
      setImmediate(() => {
        this.inFlight--;
        const queued = this.queued;
        this.queued = undefined;
        queued?.start();
      });
    rows.then(settled, settled);
    return rows;
  }
}
