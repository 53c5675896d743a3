import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, pngPixels, signIn } from './browser.js';
import { E2E_ADMIN } from './e2e-admin.js';
import { startServer, type RunningServer } from './server.js';

// The commander's view in Debian's chromium, on the built client and a fresh embedded
// database seeded from geodata/ (see server.ts). A commander signs in on the login page;
// the view opens for that role. Every request must stay on the app's origin.

const COMMANDER = { username: 'commander-e2e', password: 'commander-e2e-password' };

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const requests: string[] = [];
const pageErrors: string[] = [];

/** Creates the commander through the API, as an admin would. */
async function createCommander(origin: string): Promise<void> {
  const login = await fetch(`${origin}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(E2E_ADMIN),
  });
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const created = await fetch(`${origin}/api/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, origin },
    body: JSON.stringify({ ...COMMANDER, role: 'commander' }),
  });
  if (created.status !== 201) throw new Error(`creating the commander failed: ${created.status} ${await created.text()}`);
}

beforeAll(async () => {
  server = await startServer();
  await createCommander(server.url);
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  context.on('request', (request) => requests.push(request.url()));
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The headline figures as numbers (read from data-value, not from the Persian digits). */
async function figures(): Promise<Record<string, number>> {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll<HTMLElement>('[data-figure]')].map((el) => [el.dataset.figure!, Number(el.dataset.value)]),
    ),
  );
}

/** Waits until a figure has settled (no load under way) within [min, max]. */
async function waitForFigure(key: string, min: number, max = min): Promise<void> {
  await page.waitForFunction(
    ([k, lo, hi]) => {
      const el = document.querySelector<HTMLElement>(`[data-figure="${k}"]`);
      const busy = document.querySelector('.commander-figures')?.getAttribute('aria-busy') === 'true';
      const value = Number(el?.dataset.value);
      return !!el && !busy && value >= lo && value <= hi;
    },
    [key, min, max] as const,
    { timeout: 30_000 },
  );
}

/**
 * The neighbourhoods the map draws as covered (MapLibre evaluates the layer's own date
 * expression as a query filter over the rendered tile features), and those of them the
 * API says are covered on the same day. They must be the same set.
 */
async function coverageOnMap(at: string): Promise<{ rendered: number; drawnCovered: number[]; apiCovered: number[] }> {
  return page.evaluate(async (day) => {
    const map = window.__mahallenamaMap!;
    const colour = map.getPaintProperty('coverage-outline', 'line-color') as unknown[];
    // ['case', <covered on the day>, coveredColour, otherColour]
    const covered = colour[1] as import('maplibre-gl').FilterSpecification;
    const ids = (features: { properties: Record<string, unknown> }[]) => [...new Set(features.map((f) => Number(f.properties.id)))].sort((a, b) => a - b);
    const rendered = ids(map.queryRenderedFeatures({ layers: ['coverage-fill'] }));
    const drawnCovered = ids(map.queryRenderedFeatures({ layers: ['coverage-fill'], filter: covered }));
    const answer = await (await fetch(`/api/coverage?programme=karamat&at=${day}`)).json() as { neighbourhoods: { id: number; covered: boolean }[] };
    const onScreen = new Set(rendered);
    const apiCovered = answer.neighbourhoods.filter((n) => n.covered && onScreen.has(n.id)).map((n) => n.id).sort((a, b) => a - b);
    return { rendered: rendered.length, drawnCovered, apiCovered };
  }, at);
}

describe("the commander's view", () => {
  it('opens for a commander after signing in on the login page, with the seeded figures', async () => {
    // Province-wide view, so every county's neighbourhoods are on screen.
    await page.goto(`${server.url}/#map=7.2/29.9/57.3`);
    await page.locator('input[name="password"]').waitFor();
    await signIn(page, COMMANDER.username, COMMANDER.password);
    await page.locator('.commander').waitFor();
    expect(await page.locator('.commander__title').textContent()).toBe('نمای فرماندهی: پوشش برنامه‌ها');
    await waitForFigure('neighbourhoods_covered', 65);
    const f = await figures();
    expect(f).toMatchObject({ neighbourhoods_covered: 65, counties_reached: 18, councils_active: 119 });
    expect(f.population_covered).toBeGreaterThan(0);
    expect(f.deprived_population_uncovered).toBeGreaterThan(0);
    // Persian digits on screen.
    expect(await page.locator('[data-figure="neighbourhoods_covered"] .commander-figure__value').textContent()).toContain('۶۵');
    expect(await page.locator('.commander-slider__value').textContent()).toMatch(/۱۴۰۵/);
  });

  it('draws the coverage choropleth from the coverage tiles', async () => {
    await page.waitForFunction(() => {
      const map = window.__mahallenamaMap;
      return !!map && map.loaded() && map.queryRenderedFeatures({ layers: ['coverage-fill'] }).length > 50;
    }, undefined, { timeout: 60_000 });
    expect(requests.some((url) => /\/tiles\/coverage\/\d+\/\d+\/\d+\.mvt$/.test(url))).toBe(true);
    const today = await page.locator('.commander-slider__value').getAttribute('data-at');
    const map = await coverageOnMap(today!);
    expect(map.drawnCovered.length).toBeGreaterThan(20);
    expect(map.drawnCovered).toEqual(map.apiCovered);
    expect(map.drawnCovered.length).toBeLessThan(map.rendered);
  });

  it('replays coverage when the slider moves: figures and map follow the date', async () => {
    const slider = page.locator('input[name="at"]');
    const tilesBefore = requests.filter((url) => url.includes('/tiles/coverage/')).length;
    await slider.focus();
    await page.keyboard.press('Home');
    // The programme's first day: no Karamat neighbourhood yet; fewer councils.
    await waitForFigure('neighbourhoods_covered', 0);
    const atStart = await figures();
    expect(atStart.counties_reached).toBe(0);
    expect(atStart.councils_active).toBeLessThan(119);
    expect(new URL(page.url()).searchParams.get('at')).toBe('2023-04-22');
    const startMap = await coverageOnMap('2023-04-22');
    expect(startMap.rendered).toBeGreaterThan(50);
    expect(startMap.drawnCovered).toEqual([]);

    // A little over half way: some neighbourhoods, not all.
    for (let i = 0; i < 6; i++) await page.keyboard.press('PageUp');
    await waitForFigure('neighbourhoods_covered', 1, 64);
    const middle = await figures();
    expect(middle.neighbourhoods_covered).toBeGreaterThan(0);
    expect(middle.neighbourhoods_covered).toBeLessThan(65);
    const middleDay = new URL(page.url()).searchParams.get('at')!;
    const middleMap = await coverageOnMap(middleDay);
    expect(middleMap.drawnCovered).toEqual(middleMap.apiCovered);

    await page.keyboard.press('End');
    await waitForFigure('neighbourhoods_covered', 65);
    expect(new URL(page.url()).searchParams.get('at')).toBeNull();
    // The date lives in the tiles' properties: moving it fetched no tile.
    expect(requests.filter((url) => url.includes('/tiles/coverage/')).length).toBe(tilesBefore);
  });

  it('takes a typed Solar Hijri day beside the slider, kept within the programme', async () => {
    const day = page.locator('input[name="day"]');
    const shown = () => page.locator('.commander-slider__value').getAttribute('data-at');
    // Persian digits, as a Kerman commander writes it: 1 Farvardin 1403 is 20 March 2024.
    await day.fill('۱۴۰۳/۰۱/۰۱');
    await expect.poll(() => new URL(page.url()).searchParams.get('at')).toBe('2024-03-20');
    expect(await shown()).toBe('2024-03-20');
    expect(await page.locator('.commander-slider__value').textContent()).toBe('۱ فروردین ۱۴۰۳');
    await expect.poll(() => requests.some((url) => url.includes('/api/coverage?') && url.includes('at=2024-03-20'))).toBe(true);
    await waitForFigure('neighbourhoods_covered', 0, 64);
    const slider = await page.locator('input[name="at"]').inputValue();
    expect(Number(slider)).toBe(333); // days from the start, 2023-04-22

    // Before the programme began: the view moves to its first day once the field is left.
    await day.fill('1399/01/01');
    expect(new URL(page.url()).searchParams.get('at')).toBe('2024-03-20');
    await day.press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('at')).toBe('2023-04-22');
    expect(await day.inputValue()).toBe('1402/02/02');

    await page.locator('input[name="at"]').focus();
    await page.keyboard.press('End');
    await waitForFigure('neighbourhoods_covered', 65);
    expect(new URL(page.url()).searchParams.get('at')).toBeNull();
  });

  it('sorts the county table by a column', async () => {
    const rows = () => page.locator('.commander-table tbody tr').evaluateAll((trs) => trs.map((tr) => ({
      name: tr.querySelector('th')!.textContent!,
      covered: Number((tr as HTMLElement).dataset.covered),
      deprived: Number((tr as HTMLElement).dataset.deprived),
    })));
    const header = (column: string) => page.locator(`th:has(> [data-column="${column}"])`);
    const isSorted = (values: number[], descending: boolean) =>
      values.every((v, i) => i === 0 || (descending ? values[i - 1]! >= v : values[i - 1]! <= v));

    // Where it hurts most first: Kerman county has the largest deprived population left out.
    expect(await header('deprived').getAttribute('aria-sort')).toBe('descending');
    let table = await rows();
    expect(table).toHaveLength(25);
    expect(isSorted(table.map((r) => r.deprived), true)).toBe(true);
    expect(table[0]!.name).toBe('کرمان');

    await page.locator('[data-column="county"]').click();
    expect(await header('county').getAttribute('aria-sort')).toBe('ascending');
    table = await rows();
    expect(table.map((r) => r.name)).toEqual([...table.map((r) => r.name)].sort((a, b) => a.localeCompare(b, 'fa')));

    await page.locator('[data-column="covered"]').click();
    expect(await header('covered').getAttribute('aria-sort')).toBe('descending');
    expect(isSorted((await rows()).map((r) => r.covered), true)).toBe(true);
    await page.locator('[data-column="covered"]').click();
    expect(await header('covered').getAttribute('aria-sort')).toBe('ascending');
    table = await rows();
    expect(isSorted(table.map((r) => r.covered), false)).toBe(true);
    expect(table[0]!.covered).toBe(0);
  });

  it('flies to a gap and opens it when picked from the gap list', async () => {
    const gap = page.locator('.commander-gap').first();
    const name = await gap.locator('.commander-gap__name').textContent();
    await gap.click();
    await page.locator('.panel__title', { hasText: name! }).waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => !window.__mahallenamaMap!.isMoving(), undefined, { timeout: 30_000 });
    expect(await page.evaluate(() => window.__mahallenamaMap!.getZoom())).toBeGreaterThan(11);
    expect(new URLSearchParams(new URL(page.url()).hash.slice(1)).get('n')).toBe(await gap.getAttribute('data-neighbourhood'));
  });

  it('shows a heatmap and hexagons with a legend stating the metric and its unit', async () => {
    await page.evaluate(() => window.__mahallenamaMap!.jumpTo({ center: [57.3, 29.9], zoom: 7.2 }));
    await page.locator('[data-mode="heat"]').click();
    await page.waitForFunction(() => {
      const map = window.__mahallenamaMap!;
      return map.getLayoutProperty('coverage-heat', 'visibility') === 'visible' &&
        map.querySourceFeatures('coverage-heat').length > 0;
    }, undefined, { timeout: 30_000 });
    expect(await page.locator('.commander-legend__title').textContent()).toBe('جمعیت محروم بیرون از پوشش (نفر)');

    await page.locator('[data-mode="hex"]').click();
    const hexAnswer = page.waitForResponse((r) => r.url().includes('/api/coverage/hex?') && r.url().includes('metric=covered_population'));
    await page.locator('select[name="metric"]').selectOption('covered_population');
    expect((await hexAnswer).status()).toBe(200);
    await page.waitForFunction(() => {
      const map = window.__mahallenamaMap!;
      return map.getLayoutProperty('coverage-hex', 'visibility') === 'visible' &&
        map.queryRenderedFeatures({ layers: ['coverage-hex'] }).length > 3;
    }, undefined, { timeout: 30_000 });
    expect(await page.locator('.commander-legend__title').textContent()).toBe('جمعیت تحت پوشش (نفر)');
    expect(await page.locator('.commander-legend__note').first().textContent()).toMatch(/ضلع هر شش‌ضلعی .* کیلومتر/);
    await page.locator('[data-mode="choropleth"]').click();
  });

  it('exports the brief as a PNG with the map (the PDF is the printable brief, tests/e2e/brief.test.ts)', async () => {
    await page.locator('[data-mode="choropleth"]').click();
    await page.waitForFunction(() => window.__mahallenamaMap!.loaded());
    const [png] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export="png"]').click()]);
    expect(png.suggestedFilename()).toMatch(/^mahallenama-karamat-\d{4}-\d{2}-\d{2}\.png$/);
    const bytes = fs.readFileSync((await png.path())!);
    // PNG signature, then the IHDR chunk with the size.
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
    const width = bytes.readUInt32BE(16);
    const height = bytes.readUInt32BE(20);
    const mapSize = await page.evaluate(() => {
      const c = window.__mahallenamaMap!.getContainer();
      return { width: c.clientWidth, height: c.clientHeight };
    });
    expect(width).toBe(mapSize.width);
    expect(height).toBeGreaterThan(mapSize.height + 100);

    // Decoded by the browser: many colours (map, legend swatches, text), not a blank canvas.
    const { data } = await pngPixels(page, bytes);
    const colours = new Set<number>();
    let teal = 0;
    for (let i = 0; i < data.length; i += 4 * 7) {
      colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      // The darkest covered shade, #0e6f55, somewhere on the map or in the legend.
      if (Math.abs(data[i]! - 0x0e) < 12 && Math.abs(data[i + 1]! - 0x6f) < 12 && Math.abs(data[i + 2]! - 0x55) < 12) teal++;
    }
    const look = { colours: colours.size, teal };
    expect(look.colours).toBeGreaterThan(200);
    expect(look.teal).toBeGreaterThan(0);
  });

  it('stays on its own origin and throws nothing', () => {
    expect(requests.filter((url) => !url.startsWith(server.url) && !url.startsWith('data:') && !url.startsWith('blob:'))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
