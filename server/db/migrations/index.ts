import type { Migration } from 'kysely';
import * as boundaries from './0001-boundaries.js';
import * as auth from './0002-auth.js';
import * as layerRevisions from './0003-layer-revisions.js';

/** Every migration, in order. A new one gets the next number and a line here. */
export const migrations: Record<string, Migration> = {
  '0001-boundaries': boundaries,
  '0002-auth': auth,
  '0003-layer-revisions': layerRevisions,
};
