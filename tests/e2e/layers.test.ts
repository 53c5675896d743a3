import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, signIn, waitForMap } from './browser.js';
import { E2E_ADMIN } from './e2e-admin.js';
import { startServer, type RunningServer } from './server.js';

// Reference layers in the browser: a facilities layer and a streets layer, uploaded through the
// API as GIS staff would (GeoJSON written here, around Jupar in Kerman city), drawn on the map,
// listed in the layer switcher whose visibility and opacity go into the URL, and the access
// figures in the neighbourhood panel. Writes a screenshot to look at:
// $MAHALLENAMA_SCREENSHOT_DIR (default /tmp)/layers-switcher.png.

let server: RunningServer;
let browser: Browser;
let page: Page;
let jupar: { id: number; lon: number; lat: number };
const foreign: string[] = [];
const shots = process.env.MAHALLENAMA_SCREENSHOT_DIR ?? '/tmp';

async function api(path: string, cookie: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, { ...init, headers: { cookie, origin: server.url, ...init.headers } });
}

async function uploadAndCommit(cookie: string, name: string, features: unknown[], fields: Record<string, string>): Promise<void> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append('file', new Blob([JSON.stringify({ type: 'FeatureCollection', features })]), name);
  const preview = await api('/api/layers/uploads', cookie, { method: 'POST', body: form });
  if (preview.status !== 201) throw new Error(`upload refused: ${await preview.text()}`);
  const { id } = (await preview.json()) as { id: number };
  const commit = await api(`/api/layers/uploads/${id}/commit`, cookie, { method: 'POST' });
  if (commit.status !== 200) throw new Error(`commit refused: ${await commit.text()}`);
}

beforeAll(async () => {
  server = await startServer();
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: JSON.stringify(E2E_ADMIN),
  });
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const found = (await (await api(`/api/neighbourhoods?q=${encodeURIComponent('جوپار')}`, cookie)).json()) as {
    features: { id: number; geometry: { coordinates: number[][][][] } }[];
  };
  const feature = found.features[0]!;
  const ring = feature.geometry.coordinates[0]![0]!;
  const lons = ring.map((c) => c[0]!);
  const lats = ring.map((c) => c[1]!);
  jupar = { id: feature.id, lon: (Math.min(...lons) + Math.max(...lons)) / 2, lat: (Math.min(...lats) + Math.max(...lats)) / 2 };
  const { lon, lat } = jupar;
  const point = (name: string, service: string, dx: number, dy: number) => ({
    type: 'Feature', properties: { name, service }, geometry: { type: 'Point', coordinates: [lon + dx, lat + dy] },
  });
  await uploadAndCommit(cookie, 'services.geojson', [
    point('دبستان فردوسی', 'educational', 0.001, 0.0005),
    point('دبیرستان', 'educational', -0.006, 0.004),
    point('درمانگاه', 'social', 0.006, -0.002),
    point('خانه بهداشت', 'social', -0.003, -0.005),
    point('پارک محله', 'civil_environmental', 0.003, 0.006),
    point('بازارچه', 'economic', -0.008, -0.001),
    point('بازار', 'economic', 0.009, 0.003),
  ], { name_fa: 'خدمات محله', name_en: 'Services', kind: 'facilities', mapping: '{"name_fa":"name","service_class":"service"}' });
  const street = (name: string, coordinates: number[][]) => ({ type: 'Feature', properties: { name }, geometry: { type: 'LineString', coordinates } });
  await uploadAndCommit(cookie, 'streets.geojson', [
    street('خیابان جوپار', [[lon - 0.02, lat - 0.001], [lon + 0.02, lat + 0.001]]),
    street('خیابان شهدا', [[lon - 0.0005, lat - 0.015], [lon + 0.0005, lat + 0.015]]),
    street('کوچه ۱۲', [[lon - 0.01, lat + 0.006], [lon + 0.012, lat + 0.004]]),
  ], { name_fa: 'معابر', name_en: 'Streets', kind: 'streets' });

  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1366, height: 820 } });
  context.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(`${server.url}/`) && !url.startsWith('data:') && !url.startsWith('blob:')) foreign.push(url);
  });
  page = await context.newPage();
  // A fresh embedded database, two uploads through GDAL and a browser: slow on a busy machine.
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('reference layers on the map', () => {
  it('draws facilities and streets, lists them in the switcher, and keeps their look in the URL', async () => {
    await page.goto(`${server.url}/#map=14.6/${jupar.lat}/${jupar.lon}&n=${jupar.id}&layers=streets:100,services:90`);
    await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
    await waitForMap(page);
    await page.waitForFunction(() => {
      const map = window.__mahallenamaMap!;
      return Boolean(map.getLayer('ref-services-point')) && map.queryRenderedFeatures({ layers: ['ref-services-point'] }).length >= 5 &&
        map.queryRenderedFeatures({ layers: ['ref-streets-line'] }).length > 0 && map.loaded();
    }, undefined, { timeout: 60_000, polling: 250 });

    await page.locator('.layers-open').click();
    const names = await page.locator('.layer-switcher__name').allTextContents();
    expect(names.sort()).toEqual(['خدمات محله', 'معابر']);
    await page.locator('.access__table tbody tr').first().waitFor();
    expect(await page.locator('.access__table tbody tr').count()).toBe(4);
    expect(await page.locator('.access__table tbody tr').first().locator('th').textContent()).toBe('آموزشی');
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${shots}/layers-switcher.png` });

    // Hiding the streets takes them off the map and into the URL.
    await page.getByRole('checkbox', { name: 'نمایش معابر' }).uncheck();
    await page.waitForFunction(() => window.__mahallenamaMap!.getLayoutProperty('ref-streets-line', 'visibility') === 'none');
    expect(new URLSearchParams(new URL(page.url()).hash.slice(1)).get('layers')).toBe('-streets:100,services:90');
    const opacity = await page.evaluate(() => window.__mahallenamaMap!.getPaintProperty('ref-services-point', 'circle-opacity'));
    expect(opacity).toBeCloseTo(0.9);
    expect(foreign).toEqual([]);
  }, 300_000);
});
