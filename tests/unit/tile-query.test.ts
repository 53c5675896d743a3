import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/schema.js';
import { TILE_LAYERS } from '../../server/tiles/layers.js';
import { compiledTileQuery, mvtTileQuery, rowsTileQuery } from '../../server/tiles/queries.js';

// Compiling needs no connection: the pool never connects.
const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ max: 1 }) }) });
afterAll(() => db.destroy());

describe('compiledTileQuery', () => {
  const tiles = [{ z: 0, x: 0, y: 0 }, { z: 12, x: 2696, y: 1686 }, { z: 22, x: 4194303, y: 1 }];

  it.each(TILE_LAYERS.map((l) => [l.name, l] as const))('builds %s once and gives each tile the query built for it', (_name, layer) => {
    for (const encoding of ['mvt', 'rows'] as const) {
      for (const t of tiles) {
        const direct = (encoding === 'mvt' ? mvtTileQuery : rowsTileQuery)(layer, t.z, t.x, t.y).compile(db);
        const reused = compiledTileQuery(db, layer, encoding, t);
        expect(reused.sql).toBe(direct.sql);
        expect(reused.parameters).toEqual(direct.parameters);
      }
    }
  });
});
