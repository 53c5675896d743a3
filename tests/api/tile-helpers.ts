import { randomBytes } from 'node:crypto';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { TILE_EXTENT } from '../../server/tiles/queries.js';
import { ADMIN_PASSWORD, signIn } from './clients.js';

// Reading the server's vector tiles in the API tests.

export interface DecodedFeature {
  id: number | undefined;
  type: number;
  properties: Record<string, unknown>;
  /** Rings (or lines, or single points) in tile units. */
  rings: number[][][];
}

/** The tile's layers by name, each feature with its geometry in tile units. */
export function decode(bytes: Uint8Array): Record<string, DecodedFeature[]> {
  const tile = new VectorTile(new PbfReader(bytes));
  const layers: Record<string, DecodedFeature[]> = {};
  for (const [name, layer] of Object.entries(tile.layers)) {
    expect(layer.extent).toBe(TILE_EXTENT);
    layers[name] = Array.from({ length: layer.length }, (_, i) => {
      const f = layer.feature(i);
      return {
        id: f.id,
        type: f.type,
        properties: f.properties,
        rings: f.loadGeometry().map((ring) => ring.map((p) => [p.x, p.y])),
      };
    });
  }
  return layers;
}

/**
 * A planner's session cookie, for raw app.inject calls: tiles are bytes, and the
 * clients in clients.ts read bodies as text.
 */
export async function plannerCookie(app: FastifyInstance): Promise<string> {
  const admin = await signIn(app, 'admin', ADMIN_PASSWORD);
  const username = `tiles-${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const created = await admin.post('/api/users', { username, password, role: 'planner' });
  if (created.status !== 201) throw new Error(`creating ${username} failed: ${created.text}`);
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  return res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}
