import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, signIn, waitForMap } from './browser.js';
import { E2E_ADMIN } from './e2e-admin.js';
import { startServer, type RunningServer } from './server.js';

// The whole app in Debian's chromium: the built client (npm run test:e2e builds it first) served by
// buildApp with a fresh embedded database seeded from geodata/. One page walks through the steps in
// order, as a user would; every request it makes is recorded and must stay on the app's origin.

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const requests: { url: string; type: string }[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // On the context, so that requests from MapLibre's worker are seen too.
  context.on('request', (request) => requests.push({ url: request.url(), type: request.resourceType() }));
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Text content of the panel's heading, or null while there is no panel. */
async function panelTitle(): Promise<string | null> {
  const title = page.locator('.panel__title');
  return (await title.count()) ? title.textContent() : null;
}

function hashParams(): URLSearchParams {
  return new URLSearchParams(new URL(page.url()).hash.slice(1));
}

describe('the map page', () => {
  it('asks for a sign-in, in Persian and right to left', async () => {
    await page.goto(`${server.url}/`);
    await page.locator('input[name="password"]').waitFor();
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.getAttribute('html', 'lang')).toBe('fa');
    expect(await page.locator('.sign-in__title').textContent()).toBe('ورود به محله‌نما');
  });

  it('opens on Kerman city and draws the neighbourhoods with labels and a legend', async () => {
    await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
    await waitForMap(page);

    expect(await page.locator('.brand__name').textContent()).toBe('محله‌نما');
    expect(await page.locator('.legend__title').textContent()).toBe('شاخص محرومیت');
    expect(await page.locator('.legend__row').count()).toBeGreaterThanOrEqual(5);

    const state = await page.evaluate(() => {
      const map = window.__mahallenamaMap!;
      const { lng, lat } = map.getCenter();
      const labels = map.queryRenderedFeatures({ layers: ['neighbourhoods-label'] });
      // Names whose point is well inside the map, so none is cut off by the edge of the canvas.
      const canvas = map.getCanvas();
      const margin = 60;
      const labelPoints = map.querySourceFeatures('neighbourhoods', { sourceLayer: 'neighbourhoods_labels' });
      const namesInView = labelPoints
        .filter((f) => {
          const [x, y] = (f.geometry as GeoJSON.Point).coordinates;
          const p = map.project([x, y]);
          return p.x > margin && p.y > margin && p.x < canvas.clientWidth - margin && p.y < canvas.clientHeight - margin;
        })
        .map((f) => String(f.properties.name_fa));
      return {
        namesInView: [...new Set(namesInView)],
        lng,
        lat,
        zoom: map.getZoom(),
        fills: map.queryRenderedFeatures({ layers: ['neighbourhoods-fill'] }).length,
        labelNames: labels.map((f) => String(f.properties.name_fa)),
        style: map.getStyle(),
        attribution: document.querySelector('.maplibregl-ctrl-attrib')?.textContent ?? '',
      };
    });
    expect(state.lng).toBeCloseTo(57.07879, 3);
    expect(state.lat).toBeCloseTo(30.28321, 3);
    expect(state.zoom).toBeCloseTo(11.5, 1);
    expect(state.fills).toBeGreaterThan(10);
    expect(state.labelNames.length).toBeGreaterThan(5);
    expect(state.labelNames.every((name) => /[\u0600-\u06FF]/.test(name))).toBe(true);
    // One label per neighbourhood even where tile edges cut its polygon: labels come from the
    // tiles' label points, not from the polygons.
    expect(new Set(state.labelNames).size).toBe(state.labelNames.length);
    // At the opening view every neighbourhood in view is named: none lost to a collision.
    expect(state.namesInView.length).toBeGreaterThan(20);
    expect(state.namesInView.filter((name) => !state.labelNames.includes(name))).toEqual([]);
    expect(state.attribution).toContain('© OpenStreetMap contributors');

    // The offline style: no glyph server, no sprite, fonts from the app itself.
    expect(state.style.glyphs).toBeUndefined();
    expect(state.style.sprite).toBeUndefined();
    const fontUrls = Object.values(state.style['font-faces'] ?? {}).flatMap((faces) =>
      (Array.isArray(faces) ? faces : [{ url: faces }]).map((face) => face.url),
    );
    expect(fontUrls.length).toBeGreaterThan(0);
    for (const url of fontUrls) expect(url.startsWith(`${server.url}/`)).toBe(true);
    // MapLibre fetched the label font itself (a fetch, not a CSS font load): the labels use it.
    expect(requests.some((r) => r.type === 'fetch' && /vazirmatn-arabic-\d+-normal.*\.woff2$/.test(r.url))).toBe(true);
  });

  it('names the county seat at the opening view in Persian, with no basemap file, and towns in Persian at province scale', async () => {
    /** The names the place-label layers draw now, once the place tiles are in. */
    const placeNames = async () => {
      await page.waitForFunction(() => {
        const map = window.__mahallenamaMap!;
        return map.isSourceLoaded('places') && !map.isMoving() && map.loaded();
      }, undefined, { timeout: 30_000 });
      await page.waitForTimeout(400); // the labels' fade-in, for the screenshots
      return page.evaluate(() => {
        const map = window.__mahallenamaMap!;
        const names = (layer: string) =>
          map.queryRenderedFeatures({ layers: [layer] }).map((f) => String(f.properties.name_fa ?? f.properties.name_en));
        return { seats: names('places-seat-label'), towns: names('places-town-label') };
      });
    };
    fs.mkdirSync('tests/e2e/.output', { recursive: true });

    const opening = await placeNames();
    await page.screenshot({ path: 'tests/e2e/.output/places-opening.png' });
    // Persian letters as the seed writes them: keheh ک (U+06A9), and no Arabic ي/ك.
    expect(opening.seats).toContain('\u06A9\u0631\u0645\u0627\u0646'); // کرمان
    for (const name of [...opening.seats, ...opening.towns]) expect(name).toMatch(/^[\u0600-\u06FF\u200C ]+$/);
    // Only the Persian font files the sign-in page already brought: no Latin one. Each place
    // tile in view is asked for once (geodata/make-towns.ts, client/map/sources.ts).
    expect(requests.filter((r) => r.url.includes('vazirmatn-latin'))).toEqual([]);
    const placeTiles = requests.filter((r) => r.url.includes('/tiles/places/')).map((r) => r.url);
    expect(placeTiles.length).toBeGreaterThan(0);
    expect(new Set(placeTiles).size).toBe(placeTiles.length);

    await page.evaluate(() => window.__mahallenamaMap!.jumpTo({ center: [57.0, 29.9], zoom: 8 }));
    const province = await placeNames();
    await page.screenshot({ path: 'tests/e2e/.output/places-province.png' });
    expect(province.seats).toEqual(expect.arrayContaining(['کرمان', 'بردسیر']));
    // Compound names keep their zero-width non-joiner (U+200C); villages without a Persian
    // name in any open source keep GeoNames' Latin one at this scale.
    expect(province.towns).toEqual(expect.arrayContaining(['ماهان', 'گلباف', 'زنگی\u200cآباد', 'کاظم\u200cآباد']));
    expect(province.towns.some((name) => /[A-Za-z]/.test(name))).toBe(true);

    await page.evaluate(() => window.__mahallenamaMap!.jumpTo({ center: [57.07879, 30.28321], zoom: 11.5 }));
    await waitForMap(page);
  });

  it('opens the panel of a clicked neighbourhood', async () => {
    // A point on the map with a neighbourhood under it, away from the legend and the controls.
    const target = await page.evaluate(() => {
      const map = window.__mahallenamaMap!;
      const canvas = map.getCanvas().getBoundingClientRect();
      for (let fy = 0.3; fy <= 0.7; fy += 0.1) {
        for (let fx = 0.35; fx <= 0.65; fx += 0.05) {
          const point: [number, number] = [canvas.width * fx, canvas.height * fy];
          const [feature] = map.queryRenderedFeatures(point, { layers: ['neighbourhoods-fill'] });
          if (feature) {
            return { x: canvas.left + point[0], y: canvas.top + point[1], id: Number(feature.properties.id), name: String(feature.properties.name_fa) };
          }
        }
      }
      return null;
    });
    expect(target).not.toBeNull();
    await page.mouse.click(target!.x, target!.y);

    await expect.poll(panelTitle).toBe(target!.name);
    await expect.poll(() => hashParams().get('n')).toBe(String(target!.id));
    // Figures come in Persian digits.
    await expect.poll(() => page.locator('.facts').textContent()).toMatch(/[۰-۹]/);

    await page.locator('.panel__close').click();
    await expect.poll(panelTitle).toBeNull();
    // The URL follows in an effect after the panel's render, once the browser has a frame free.
    await expect.poll(() => hashParams().get('n')).toBeNull();
  });

  it('finds سرآسیاب by name and flies there', async () => {
    const search = page.locator('.search__input');
    await search.fill('سرآسیاب');
    await page.locator('.search__result').first().waitFor();
    expect(await page.locator('.search__result').first().textContent()).toContain('سرآسیاب');
    await search.press('Enter');

    await expect.poll(panelTitle).toContain('سرآسیاب');
    // The URL is written in an effect after the panel renders: wait for it.
    await expect.poll(() => Number(hashParams().get('n'))).toBeGreaterThan(0);
    const id = Number(hashParams().get('n'));

    // The map comes to rest over the neighbourhood, and the URL keeps the new position.
    await page.waitForFunction(
      (selected) => {
        const map = window.__mahallenamaMap!;
        if (map.isMoving()) return false;
        const centre = map.project(map.getCenter());
        const here = map.queryRenderedFeatures({ layers: ['neighbourhoods-fill'] });
        return here.some((f) => Number(f.properties.id) === selected) && centre.x > 0;
      },
      id,
      { timeout: 20_000 },
    );
    const [zoom, lat, lon] = hashParams().get('map')!.split('/').map(Number);
    expect(zoom).toBeGreaterThan(12);
    const selectedOnScreen = await page.evaluate(
      ([selected, lon, lat]) => {
        const map = window.__mahallenamaMap!;
        const { lng, lat: centreLat } = map.getCenter();
        const drawn = map.queryRenderedFeatures({ layers: ['neighbourhoods-selected'] });
        return { drawn: drawn.some((f) => Number(f.properties.id) === selected), lng, centreLat, lon, lat };
      },
      [id, lon!, lat!] as const,
    );
    expect(selectedOnScreen.drawn).toBe(true);
    expect(selectedOnScreen.lng).toBeCloseTo(lon!, 3);
    expect(selectedOnScreen.centreLat).toBeCloseTo(lat!, 3);
  });

  it('forgives the usual spellings and zooms to a county picked from the results', async () => {
    const search = page.locator('.search__input');
    // A space where the name has a half-space, and no madda: the failing spelling.
    await search.fill('مهدی اباد');
    await expect.poll(() => page.locator('.search__result').first().textContent()).toContain('مهدی‌آباد');
    await search.fill('');

    await search.fill('کرمان');
    const first = page.locator('.search__result').first();
    await expect.poll(() => first.getAttribute('data-kind')).toBe('county');
    expect(await first.textContent()).toContain('شهرستان');
    await first.dispatchEvent('mousedown');
    // The map comes to rest with Kerman city centre (57.07879, 30.28321) in view, at county scale.
    await page.waitForFunction(() => {
      const map = window.__mahallenamaMap!;
      return !map.isMoving() && map.getBounds().contains([57.07879, 30.28321]) && map.getZoom() < 10;
    }, undefined, { timeout: 20_000 });
    await search.fill('');
  });

  it('switches to English: left to right, English names on the map and in the panel', async () => {
    await page.locator('.lang-switch').click();
    await expect.poll(() => page.getAttribute('html', 'dir')).toBe('ltr');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(hashParams().get('lang')).toBe('en');
    expect(await page.locator('.legend__title').textContent()).toBe('Deprivation');
    await expect.poll(panelTitle).toMatch(/Sar Asiab/);

    const textField = await page.evaluate(() =>
      JSON.stringify(window.__mahallenamaMap!.getLayoutProperty('neighbourhoods-label', 'text-field')),
    );
    expect(textField).toContain('name_en');
  });

  it('restores position, selection and language from a shared link', async () => {
    const link = page.url();
    const before = hashParams();
    const fresh = await context.newPage();
    try {
      await fresh.goto(link);
      await waitForMap(fresh);
      expect(await fresh.getAttribute('html', 'dir')).toBe('ltr');
      await expect.poll(() => fresh.locator('.panel__title').textContent()).toMatch(/Sar Asiab/);
      const after = new URLSearchParams(new URL(fresh.url()).hash.slice(1));
      expect(after.get('map')).toBe(before.get('map'));
      expect(after.get('n')).toBe(before.get('n'));
    } finally {
      await fresh.close();
    }
  });

  it('draws neighbourhoods and counties from vector tiles, empty tiles included, without errors', async () => {
    const result = await page.evaluate(async () => {
      const map = window.__mahallenamaMap!;
      const errors: string[] = [];
      const listening = map.on('error', (event) => {
        errors.push(event.error.message);
      });
      // Zoom 7 over the province's edge: many neighbourhood tiles there are empty (zero bytes).
      map.jumpTo({ center: [55.6, 29.2], zoom: 7 });
      await new Promise<void>((resolve) => map.once('idle', () => resolve()));
      listening.unsubscribe();
      const counties = map.queryRenderedFeatures({ layers: ['counties-fill'] });
      return {
        errors,
        types: [map.getSource('neighbourhoods')?.type, map.getSource('counties')?.type],
        counties: new Set(counties.map((f) => f.properties.id)).size,
        countyLabels: map.queryRenderedFeatures({ layers: ['counties-label'] }).map((f) => String(f.properties.name_fa)),
      };
    });
    expect(result.types).toEqual(['vector', 'vector']);
    expect(result.errors).toEqual([]);
    expect(result.counties).toBeGreaterThan(3);
    expect(result.countyLabels.length).toBeGreaterThan(0);
    expect(new Set(result.countyLabels).size).toBe(result.countyLabels.length);
    // Among the tiles the map just loaded, some were empty: MapLibre took them without an error.
    const loaded = [...new Set(requests.map((r) => r.url).filter((url) => /\/tiles\/neighbourhoods\/7\/\d+\/\d+\.mvt$/.test(url)))];
    expect(loaded.length).toBeGreaterThan(1);
    const sizes = await page.evaluate(
      (urls) => Promise.all(urls.map(async (url) => (await (await fetch(url)).arrayBuffer()).byteLength)),
      loaded,
    );
    expect(sizes.filter((size) => size === 0).length).toBeGreaterThan(0);
    expect(sizes.filter((size) => size > 0).length).toBeGreaterThan(0);
  });

  it('names the county seats and towns at province scale, with no basemap file', async () => {
    const result = await page.evaluate(async () => {
      const map = window.__mahallenamaMap!;
      map.jumpTo({ center: [57.0, 29.6], zoom: 7.5 });
      await new Promise<void>((resolve) => map.once('idle', () => resolve()));
      const names = (layer: string) => map.queryRenderedFeatures({ layers: [layer] }).map((f) => String(f.properties.name_en));
      return {
        seats: names('places-seat-label'),
        towns: names('places-town-label'),
        dots: map.queryRenderedFeatures({ layers: ['places-dot'] }).length,
        attribution: document.querySelector('.maplibregl-ctrl-attrib')?.textContent ?? '',
      };
    });
    // The interface is in English here: seats carry both names, towns GeoNames' Latin one.
    expect(result.seats).toContain('Kerman');
    expect(result.seats.length).toBeGreaterThan(5);
    expect(result.towns.length).toBeGreaterThan(10);
    expect(result.dots).toBeGreaterThanOrEqual(result.seats.length + result.towns.length);
    expect(result.attribution).toContain('GeoNames');
  });

  it('made no request outside its own origin and threw no errors', () => {
    const foreign = requests
      .map((r) => r.url)
      .filter((url) => !url.startsWith(`${server.url}/`) && !url.startsWith('data:') && !url.startsWith('blob:'));
    expect(foreign).toEqual([]);
    // The recording is not empty by accident: it saw the data, the fonts and MapLibre's worker.
    expect(requests.some((r) => r.url === `${server.url}/tiles/neighbourhoods.json`)).toBe(true);
    expect(requests.some((r) => /\/tiles\/neighbourhoods\/\d+\/\d+\/\d+\.mvt$/.test(r.url))).toBe(true);
    expect(requests.some((r) => /maplibre-gl-worker.*\.mjs/.test(r.url))).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
