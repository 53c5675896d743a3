/**
 * Hot tiles in memory, least recently used first out, bounded by bytes rather than by
 * count: one dense low-zoom tile can weigh as much as a thousand empty ones.
 *
 * An entry is the last tile rendered for an address, with the revision tag it was
 * rendered at; the caller compares that tag with the layer's current one, so a change
 * to the data never serves from here (and the stale entry is replaced, not kept beside).
 */
export interface CachedTile {
  revisionTag: string;
  bytes: Uint8Array;
}

export interface TileCache<T extends CachedTile = CachedTile> {
  get(key: string): T | undefined;
  put(key: string, tile: T): void;
}

/** Map keys, pointers and bookkeeping that an entry costs besides its bytes (a rough measure). */
const ENTRY_OVERHEAD_BYTES = 200;

export class LruTileCache<T extends CachedTile = CachedTile> implements TileCache<T> {
  // A Map iterates in insertion order: re-inserting on every hit keeps the least recently
  // used entry first.
  private readonly entries = new Map<string, T>();
  private bytes = 0;

  constructor(readonly maxBytes: number) {
    if (!(maxBytes >= 0)) throw new RangeError(`tile cache size must be a number of bytes >= 0, got ${maxBytes}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Bytes held now, counting the per-entry overhead. */
  get usedBytes(): number {
    return this.bytes;
  }

  /** Whether the key is held, without counting as a use. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  put(key: string, tile: T): void {
    this.delete(key);
    const cost = costOf(key, tile);
    // A tile bigger than the whole cache would only push everything else out.
    if (cost > this.maxBytes) return;
    this.entries.set(key, tile);
    this.bytes += cost;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= costOf(oldest, entry);
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= costOf(key, entry);
  }
}

function costOf(key: string, tile: CachedTile): number {
  return tile.bytes.byteLength + key.length * 2 + tile.revisionTag.length * 2 + ENTRY_OVERHEAD_BYTES;
}
