import type { Migration } from 'kysely';
import * as boundaries from './0001-boundaries.js';
import * as auth from './0002-auth.js';
import * as layerRevisions from './0003-layer-revisions.js';
import * as method from './0004-method.js';
import * as coverage from './0005-coverage.js';
import * as uploads from './0006-uploads.js';
import * as labelPoints from './0007-label-points.js';
import * as previewExpiry from './0008-preview-expiry.js';
import * as auditHardening from './0009-audit-hardening.js';
import * as rejectionValues from './0010-rejection-values.js';
import * as referenceLayers from './0014-reference-layers.js';
import * as access from './0015-access.js';
import * as search from './0016-search.js';
import * as places from './0017-places.js';
import * as indicators from './0018-indicators.js';
import * as indicatorComposites from './0019-indicator-composites.js';
import * as placesPersianNames from './0022-places-persian-names.js';
import * as countyNamesEn from './0023-county-names-en.js';

/** Every migration, in order. A new one gets the next number and a line here. */
export const migrations: Record<string, Migration> = {
  '0001-boundaries': boundaries,
  '0002-auth': auth,
  '0003-layer-revisions': layerRevisions,
  '0004-method': method,
  '0005-coverage': coverage,
  '0006-uploads': uploads,
  '0007-label-points': labelPoints,
  '0008-preview-expiry': previewExpiry,
  '0009-audit-hardening': auditHardening,
  '0010-rejection-values': rejectionValues,
  '0014-reference-layers': referenceLayers,
  '0015-access': access,
  '0016-search': search,
  '0017-places': places,
  '0018-indicators': indicators,
  '0019-indicator-composites': indicatorComposites,
  '0022-places-persian-names': placesPersianNames,
  '0023-county-names-en': countyNamesEn,
};
