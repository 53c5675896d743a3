import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ckmeans, equalIntervalBreaks, quantileSorted } from 'simple-statistics';
import { launchBrowser, signIn, waitForMap } from './browser.js';
import { E2E_ADMIN } from './e2e-admin.js';
import { e2eBackends, type RunningServer } from './server.js';

// The thematic map in the browser: an indicator table imported through the API as GIS staff
// would, then, in the UI, the built-in population and the imported column mapped with each
// classification method. The legend's breaks are checked against simple-statistics called
// here, and every neighbourhood drawn on the map against the class its value falls in. A
// composite index is made in the panel and mapped and ranked. Writes screenshots to look at:
// $MAHALLENAMA_SCREENSHOT_DIR (default /tmp)/thematic-*.png.

const shots = process.env.MAHALLENAMA_SCREENSHOT_DIR ?? '/tmp';

interface Values { items: { neighbourhood_id: number; value: number }[] }

/** The breaks simple-statistics gives, as the issue names them: [min, …, max]. */
function expectedBreaks(values: number[], method: string, k: number, manual: number[] = []): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const min = sorted[0]!;
  const max = sorted[sorted.length - 1]!;
  const n = Math.min(k, new Set(sorted).size);
  let inner: number[];
  if (method === 'quantiles') inner = Array.from({ length: n - 1 }, (_, i) => quantileSorted(sorted, (i + 1) / n));
  else if (method === 'equal') inner = equalIntervalBreaks(sorted, n).slice(1, -1);
  else if (method === 'ckmeans') inner = ckmeans(sorted, n).slice(1).map((cluster) => cluster[0]!);
  else inner = manual;
  return [min, ...[...new Set(inner.filter((b) => b > min && b < max))].sort((a, b) => a - b), max];
}

function classOfValue(value: number, breaks: number[]): number {
  for (let i = breaks.length - 2; i >= 0; i--) if (value >= breaks[i]!) return i;
  return -1;
}

describe.each(e2eBackends())('thematic maps in the UI on $name', (backend) => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let cookie: string;
  const pageErrors: string[] = [];

  const api = async <T,>(path: string, init: RequestInit = {}): Promise<T> => {
    const response = await fetch(`${server.url}${path}`, { ...init, headers: { cookie, origin: server.url, ...init.headers } });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    server = await backend.start();
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: JSON.stringify(E2E_ADMIN),
    });
    cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    // An indicator table for the neighbourhoods of Kerman city: a literacy rate made from the code.
    const all = await api<{ features: { id: number; properties: { code: string } }[] }>('/api/neighbourhoods');
    const rows = all.features.slice(0, 60).map((f, i) => `${f.properties.code},${40 + ((i * 37) % 55)}.5`);
    const form = new FormData();
    form.append('name_fa', 'نرخ باسوادی');
    form.append('name_en', 'Literacy rate');
    form.append('unit', 'درصد');
    form.append('unit_en', 'percent');
    form.append('slug', 'literacy');
    form.append('file', new Blob([['code,literacy', ...rows].join('\n')]), 'literacy.csv');
    const upload = await api<{ id: number; report: { matched: number } }>('/api/indicators/uploads', { method: 'POST', body: form });
    expect(upload.report.matched).toBe(60);
    await api(`/api/indicators/uploads/${upload.id}/commit`, { method: 'POST' });

    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1366, height: 820 } });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(server.url);
    await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
    await waitForMap(page);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const legend = () => page.locator('.thematic-legend');
  const legendBreaks = async () => (await legend().getAttribute('data-breaks'))!.split(',').map(Number);

  /** Every neighbourhood the map draws in the thematic layer, with its class state. */
  async function drawnClasses(): Promise<Map<number, number>> {
    await page.waitForFunction(() => {
      const map = window.__mahallenamaMap!;
      return map.getLayoutProperty('thematic-fill', 'visibility') === 'visible' && map.loaded() && !map.isMoving();
    }, undefined, { timeout: 30_000 });
    const drawn = await page.evaluate(() => window.__mahallenamaMap!.queryRenderedFeatures({ layers: ['thematic-fill'] })
      .map((f) => [Number(f.id), (f.state as Record<string, number>).thematic_class ?? -1] as [number, number]));
    return new Map(drawn);
  }

  async function checkMethod(key: string, method: string, k: number, manual: number[] = []) {
    const values = (await api<Values>(`/api/indicators/${key}/values`)).items;
    await page.locator('select[name="method"]').selectOption(method);
    if (method !== 'manual') await page.locator('select[name="classes"]').selectOption(String(k));
    else await page.locator('input[name="breaks"]').fill(manual.join('، '));
    const expected = expectedBreaks(values.map((v) => v.value), method, k, manual);
    await expect.poll(legendBreaks).toEqual(expected.map((b) => Number(String(b))));
    await expect.poll(() => legend().locator('.thematic-legend__row').count()).toBe(expected.length - 1 + 1);
    const drawn = await drawnClasses();
    expect(drawn.size).toBeGreaterThan(5);
    const byId = new Map(values.map((v) => [v.neighbourhood_id, v.value]));
    for (const [id, drawnClass] of drawn) {
      const value = byId.get(id);
      expect(drawnClass, `neighbourhood ${id} (value ${value})`).toBe(value === undefined ? -1 : classOfValue(value, expected));
    }
    expect(new URL(page.url()).searchParams.get('th')).toBe(key);
  }

  it('maps the population with every classification method, breaks as simple-statistics gives them', async () => {
    await page.locator('.thematic-open').click();
    await page.locator('select[name="indicator"]').selectOption('population');
    await expect.poll(() => legend().locator('.thematic-legend__title').textContent()).toBe('جمعیت');
    // The deprivation legend steps aside: one legend per view.
    await expect.poll(() => page.locator('.legend').isVisible()).toBe(false);
    await checkMethod('population', 'quantiles', 5);
    await checkMethod('population', 'equal', 4);
    await checkMethod('population', 'ckmeans', 6);
    await checkMethod('population', 'manual', 0, [2000, 5000, 9000]);
    await expect.poll(() => legend().locator('.thematic-legend__meta').textContent()).toContain('مرزهای دستی');
    await expect.poll(() => page.locator('.thematic__histogram rect').count()).toBe(24);
    await page.screenshot({ path: `${shots}/thematic-population.png` });
  }, 120_000);

  it('maps an imported column, and a shared link opens the same map', async () => {
    await page.locator('select[name="indicator"]').selectOption('literacy.literacy');
    await expect.poll(() => legend().locator('.thematic-legend__title').textContent()).toBe('نرخ باسوادی');
    await checkMethod('literacy.literacy', 'ckmeans', 3);
    await expect.poll(() => legend().locator('.thematic-legend__meta').textContent()).toContain('درصد');
    // Neighbourhoods outside the table have no value: grey, and said so in the legend.
    await expect.poll(() => legend().locator('.thematic-legend__row').last().textContent()).toContain('بدون مقدار');
    await page.screenshot({ path: `${shots}/thematic-imported.png` });

    const link = page.url();
    expect(link).toContain('thm=ckmeans');
    await page.goto(link);
    await waitForMap(page);
    await expect.poll(() => legend().locator('.thematic-legend__title').textContent(), { timeout: 30_000 }).toBe('نرخ باسوادی');
    await expect.poll(() => page.locator('select[name="method"]').inputValue()).toBe('ckmeans');
    await expect.poll(() => page.locator('select[name="classes"]').inputValue()).toBe('3');
  }, 120_000);

  it('makes a composite index in the panel, maps it and ranks the neighbourhoods', async () => {
    await page.locator('.thematic__composite summary').click();
    await page.locator('input[name="composite_name"]').fill('شاخص نیاز');
    await page.locator('input[name="composite_slug"]').fill('need_index');
    await page.locator('input[name="weight:population"]').fill('۲');
    await page.locator('input[name="weight:deprivation"]').fill('1');
    await page.locator('.thematic__composite button[type="submit"]').click();
    await expect.poll(() => legend().locator('.thematic-legend__title').textContent(), { timeout: 30_000 }).toBe('شاخص نیاز');
    await expect.poll(() => page.locator('select[name="indicator"]').inputValue()).toBe('composite.need_index');
    const values = await api<Values & { top: { neighbourhood_id: number; name_fa: string }[] }>('/api/indicators/composite.need_index/values?top=10');
    const ranked = page.locator('.thematic__top li');
    await expect.poll(() => ranked.count()).toBe(10);
    await expect.poll(() => ranked.first().locator('.thematic__top-name').textContent()).toContain(values.top[0]!.name_fa);
    await checkMethod('composite.need_index', 'quantiles', 5);
    await page.screenshot({ path: `${shots}/thematic-composite.png` });

    // A ranked name opens its neighbourhood.
    await ranked.first().locator('.thematic__top-name').click();
    await expect.poll(() => page.locator('.panel').textContent()).toContain(values.top[0]!.name_fa);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('fits a phone: the panel across the screen, the legend readable', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${shots}/thematic-phone.png` });
    const box = await page.locator('.thematic').boundingBox();
    expect(box!.width).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1366, height: 820 });
  }, 60_000);
});
