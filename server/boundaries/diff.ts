import type { UploadDiff, UploadMode, UploadReport } from '../../shared/boundaries-schemas.js';

/**
 * What an upload would change, matched by code: pure classification of the features the
 * database staged (with their geometry compared there) against the layer as it is.
 *
 *   in the file, not in the layer            added
 *   in both, geometry or a mapped attribute  changed
 *   in both, nothing differs                 unchanged
 *   in the layer, not in the file (replace)  removed — or blocked, when other records point at it
 *
 * Merge mode removes nothing. Only attributes the mapping names are compared: a file without
 * a population field leaves the population as it is.
 */

export type AttributeValue = string | number | boolean | null;

/** The attributes compared, in the order the report lists them. */
export const COMPARED_ATTRIBUTES = ['name_fa', 'name_en', 'county', 'population', 'households', 'deprivation', 'informal'] as const;
export type ComparedAttribute = (typeof COMPARED_ATTRIBUTES)[number];

export interface CurrentBoundary {
  code: string;
  name_fa: string;
  attributes: Partial<Record<ComparedAttribute, AttributeValue>>;
}

export interface IncomingBoundary {
  index: number;
  code: string;
  name_fa: string;
  /** The mapped attributes the file gives a value for. */
  attributes: Partial<Record<ComparedAttribute, AttributeValue>>;
  /** How the geometry compares with the current one; absent for a code the layer lacks. */
  geometry?: { same: boolean; changePct: number | null };
}

export interface DiffInput {
  mode: UploadMode;
  incoming: IncomingBoundary[];
  /** The layer's boundaries now, by code: all of them in replace mode, at least those the file names in merge mode. */
  current: Map<string, CurrentBoundary>;
  /** How many boundaries the layer has now. */
  currentCount: number;
  /** Every code the file holds, accepted or rejected: a rejected feature does not remove its boundary. */
  fileCodes: Set<string>;
  /** Rows of other tables pointing at each boundary the file lacks: table → count. */
  references: Map<string, Record<string, number>>;
}

export type FeatureChange = 'added' | 'changed' | 'unchanged';

export interface DiffResult {
  diff: UploadDiff;
  /** Feature index → its change, for the staged rows. */
  changes: Map<number, FeatureChange>;
  blockers: UploadReport['blockers'];
}

export function classifyDiff(input: DiffInput): DiffResult {
  const diff: UploadDiff = {
    counts: { features: 0, added: 0, changed: 0, removed: 0, unchanged: 0, blocked: 0 },
    added: [], changed: [], removed: [], unchanged: [], blocked: [],
  };
  const changes = new Map<number, FeatureChange>();
  const blockers: UploadReport['blockers'] = [];

  for (const feature of input.incoming) {
    const current = input.current.get(feature.code);
    if (!current) {
      diff.added.push({ code: feature.code, name_fa: feature.name_fa });
      changes.set(feature.index, 'added');
      continue;
    }
    const attributes = COMPARED_ATTRIBUTES.flatMap((field) => {
      if (!(field in feature.attributes)) return [];
      const from = current.attributes[field] ?? null;
      const to = feature.attributes[field] ?? null;
      return from === to ? [] : [{ field, from, to }];
    });
    const geometryChanged = feature.geometry ? !feature.geometry.same : false;
    if (!geometryChanged && attributes.length === 0) {
      diff.unchanged.push(feature.code);
      changes.set(feature.index, 'unchanged');
      continue;
    }
    diff.changed.push({
      code: feature.code,
      name_fa: feature.name_fa,
      geometry_change_pct: geometryChanged ? round(feature.geometry?.changePct ?? null) : null,
      attributes,
    });
    changes.set(feature.index, 'changed');
  }

  if (input.mode === 'replace') {
    for (const [code, boundary] of input.current) {
      if (input.fileCodes.has(code)) continue;
      const references = input.references.get(code);
      if (references && Object.values(references).some((n) => n > 0)) {
        diff.blocked.push({ code, name_fa: boundary.name_fa });
        blockers.push({ code, name_fa: boundary.name_fa, references });
      } else {
        diff.removed.push({ code, name_fa: boundary.name_fa });
      }
    }
  }

  diff.counts.added = diff.added.length;
  diff.counts.changed = diff.changed.length;
  diff.counts.removed = diff.removed.length;
  diff.counts.unchanged = diff.unchanged.length;
  diff.counts.blocked = diff.blocked.length;
  diff.counts.features = input.currentCount + diff.counts.added - diff.counts.removed;
  return { diff, changes, blockers };
}

function round(value: number | null): number | null {
  return value === null ? null : Math.round(value * 1e4) / 1e4;
}
