import type { Migration } from 'kysely';
import * as boundaries from './0001-boundaries.js';
import * as auth from './0002-auth.js';

/** Every migration, in order. A new one gets the next number and a line here. */
export const migrations: Record<string, Migration> = {
  '0001-boundaries': boundaries,
  '0002-auth': auth,
};
