import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, signIn, waitForMap } from './browser.js';
import { E2E_ADMIN } from './e2e-admin.js';
import { startServer, type RunningServer } from './server.js';
import { makeMbtiles } from '../fixtures/basemap/make-basemap.js';

// The offline basemap drawn under the data: an MBTiles file made by GDAL from the test fixture's
// OpenMapTiles-schema streets, water and places around Kerman (tests/fixtures/basemap).

const fixtures = fs.mkdtempSync(path.join(os.tmpdir(), 'mahallenama-e2e-basemap-'));
let server: RunningServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const foreign: string[] = [];

beforeAll(async () => {
  server = await startServer({ basemapFile: makeMbtiles(fixtures) });
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
  context.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(server.url) && !url.startsWith('data:') && !url.startsWith('blob:')) foreign.push(url);
  });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  fs.rmSync(fixtures, { recursive: true, force: true });
});

describe('the offline basemap', () => {
  it('draws streets, water and Persian place names under the neighbourhoods', async () => {
    await page.goto(`${server.url}/#map=14/30.2832/57.0788`);
    await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
    await waitForMap(page);
    await page.waitForFunction(() => {
      const map = window.__mahallenamaMap!;
      return Boolean(map.getSource('basemap')) && map.isSourceLoaded('basemap') && !map.isMoving();
    }, undefined, { timeout: 60_000 });
    const drawn = await page.evaluate(() => {
      const map = window.__mahallenamaMap!;
      const ids = map.getStyle().layers.map((l) => l.id);
      const count = (layer: string) => map.queryRenderedFeatures({ layers: [layer] }).length;
      return {
        waterUnderData: ids.indexOf('basemap-water') < ids.indexOf('neighbourhoods-fill'),
        streetsOverColours: ids.indexOf('neighbourhoods-fill') < ids.indexOf('basemap-road-major') && ids.indexOf('basemap-road-major') < ids.indexOf('neighbourhoods-label'),
        major: count('basemap-road-major'),
        medium: count('basemap-road-medium'),
        water: count('basemap-water'),
        streetNames: map.queryRenderedFeatures({ layers: ['basemap-road-name'] }).map((f) => f.properties['name:fa']),
        places: map.querySourceFeatures('basemap', { sourceLayer: 'place' }).map((f) => f.properties['name:fa']),
      };
    });
    fs.mkdirSync('tests/e2e/.output', { recursive: true });
    await page.screenshot({ path: 'tests/e2e/.output/basemap.png' });
    expect(drawn.waterUnderData).toBe(true);
    expect(drawn.streetsOverColours).toBe(true);
    expect(drawn.major).toBeGreaterThan(0);
    expect(drawn.medium).toBeGreaterThan(0);
    expect(drawn.water).toBeGreaterThan(0);
    expect(drawn.streetNames).toContain('بلوار جمهوری');
    expect(drawn.places).toContain('کرمان');
  });

  it('made no request outside its own origin and threw no errors', () => {
    expect(foreign).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
