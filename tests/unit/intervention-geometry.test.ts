import { describe, expect, it } from 'vitest';
import { geometryProblem } from '../../server/interventions/geometry.js';

const square = [[57, 30], [57.1, 30], [57.1, 30.1], [57, 30.1], [57, 30]];

describe('intervention geometry check', () => {
  it('accepts points, polygons and multipolygons in longitude/latitude', () => {
    expect(geometryProblem({ type: 'Point', coordinates: [57.07, 30.28] })).toBeNull();
    expect(geometryProblem({ type: 'Point', coordinates: [57.07, 30.28, 1750] })).toBeNull();
    expect(geometryProblem({ type: 'Polygon', coordinates: [square] })).toBeNull();
    expect(geometryProblem({ type: 'MultiPolygon', coordinates: [[square], [square]] })).toBeNull();
  });

  it('names what is wrong and where', () => {
    expect(geometryProblem({ type: 'Point', coordinates: [57] })).toMatch(/^geometry\.coordinates \(body\) must be a position/);
    expect(geometryProblem({ type: 'Point', coordinates: ['57', '30'] })).toMatch(/must be a position/);
    expect(geometryProblem({ type: 'Point', coordinates: [500000, 3350000] })).toMatch(/EPSG:4326.*500000/);
    expect(geometryProblem({ type: 'Polygon', coordinates: [] })).toMatch(/at least one ring/);
    expect(geometryProblem({ type: 'Polygon', coordinates: [square.slice(0, 3)] })).toMatch(/^geometry\.coordinates\.0 \(body\) must be a ring of at least four/);
    expect(geometryProblem({ type: 'Polygon', coordinates: [square.slice(0, 4)] })).toMatch(/must be closed/);
    expect(geometryProblem({ type: 'Polygon', coordinates: [[...square.slice(0, 2), [57.1, 95], ...square.slice(3)]] })).toMatch(/^geometry\.coordinates\.0\.2 \(body\)/);
    expect(geometryProblem({ type: 'MultiPolygon', coordinates: [] })).toMatch(/at least one polygon/);
    expect(geometryProblem({ type: 'MultiPolygon', coordinates: [[square], 'x'] })).toMatch(/^geometry\.coordinates\.1 \(body\)/);
  });
});
