import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, pngPixels, signIn, waitForMap, type PixelBox } from './browser.js';
import { E2E_ADMIN } from './e2e-admin.js';
import { startServer, type RunningServer } from './server.js';

// How the panels sit over the map (issue 15, part 6), in Debian's chromium on the built client
// and a fresh embedded database seeded from geodata/ (see server.ts). An admin signs in.

let server: RunningServer;
let browser: Browser;
let jupar: number;
/** Hossein-Abad (KRM-SBK-05), the widest neighbourhood: fitted to the map's height, centred, it runs under a side panel. */
let wide: number;

beforeAll(async () => {
  server = await startServer();
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(E2E_ADMIN),
  });
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const found = await (await fetch(`${server.url}/api/neighbourhoods?q=Jupar`, { headers: { cookie } })).json() as {
    features: { id: number; properties: { code: string } }[];
  };
  jupar = found.features.find((f) => f.properties.code === 'KRM-C-031')!.id;
  const all = await (await fetch(`${server.url}/api/neighbourhoods`, { headers: { cookie } })).json() as typeof found;
  wide = all.features.find((f) => f.properties.code === 'KRM-SBK-05')!.id;
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A page of the given size, signed in as the admin, on Jupar (selected) at a zoom where it fills the map. */
async function openOnJupar(width: number, height: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  await page.goto(`${server.url}/#map=13.7/30.22209/57.08935&n=${jupar}`);
  await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
  await page.locator('.panel__title').waitFor();
  await waitForMap(page);
  return page;
}

/**
 * The share of the pixels in `box` that are the same in two screenshots of the page. Whole-page
 * screenshots: a clipped one is drawn anew and did not show what the screen did.
 */
async function sameShare(page: Page, box: PixelBox, before: Buffer, after: Buffer): Promise<number> {
  const [p, q] = [(await pngPixels(page, before, box)).data, (await pngPixels(page, after, box)).data];
  let same = 0;
  for (let i = 0; i < p.length; i += 4) {
    if (Math.abs(p[i]! - q[i]!) + Math.abs(p[i + 1]! - q[i + 1]!) + Math.abs(p[i + 2]! - q[i + 2]!) < 12) same++;
  }
  return same / (p.length / 4);
}

interface Box { left: number; right: number; top: number; bottom: number }
interface Seen { selected: Box; map: Box; panels: (Box & { name: string })[]; controls: (Box & { name: string })[] }

// A string, not a function: the bundler's helpers for named functions do not exist in the page.
const SELECTED_AND_PANELS = `(async () => {
    const id = Number(new URLSearchParams(location.hash.slice(1)).get('n'));
    const detail = await (await fetch('/api/neighbourhoods/' + id)).json();
    const points = [];
    const stack = [detail.geometry.coordinates];
    while (stack.length) {
      const value = stack.pop();
      if (typeof value[0] === 'number') points.push(value);
      else stack.push(...value);
    }
    const map = window.__mahallenamaMap;
    const box = map.getContainer().getBoundingClientRect();
    const xs = points.map((p) => map.project(p).x + box.left);
    const ys = points.map((p) => map.project(p).y + box.top);
    const plain = (r) => ({ left: r.left, right: r.right, top: r.top, bottom: r.bottom });
    return {
      selected: { left: Math.min(...xs), right: Math.max(...xs), top: Math.min(...ys), bottom: Math.max(...ys) },
      map: plain(box),
      panels: [...document.querySelectorAll('.panel, .map-panel')].map((el) => ({ name: el.className, ...plain(el.getBoundingClientRect()) })),
      controls: [...document.querySelectorAll('.pill-button--map, .commander-open, .legend')].map((el) => ({ name: el.className, ...plain(el.getBoundingClientRect()) })),
    };
  })()`;

/**
 * Once the map stands still: the selected neighbourhood's box on the screen (its outline from the
 * API, projected), the map's, and those of the panels over the map.
 */
async function selectedAndPanels(page: Page): Promise<Seen> {
  await waitForMap(page);
  await page.waitForTimeout(300);
  await waitForMap(page);
  return page.evaluate(SELECTED_AND_PANELS);
}

/**
 * The selected neighbourhood lies on the map and under none of the panels (a pixel's leeway); on
 * a wide map, under none of the pills and legends either (a phone has no room to spare for them).
 */
function expectClearOfPanels({ selected, map, panels, controls }: Seen): void {
  expect(panels.length).toBeGreaterThan(0);
  expect(selected.left).toBeGreaterThanOrEqual(map.left - 1);
  expect(selected.right).toBeLessThanOrEqual(map.right + 1);
  expect(selected.top).toBeGreaterThanOrEqual(map.top - 1);
  expect(selected.bottom).toBeLessThanOrEqual(map.bottom + 1);
  for (const panel of map.right - map.left > 720 ? [...panels, ...controls] : panels) {
    const overlap = Math.min(selected.right, panel.right) - Math.max(selected.left, panel.left) > 1 &&
      Math.min(selected.bottom, panel.bottom) - Math.max(selected.top, panel.top) > 1;
    expect(overlap, `the neighbourhood ${JSON.stringify(selected)} is under ${panel.name} ${JSON.stringify(panel)}`).toBe(false);
  }
}

/** A page of the given size opened at `hash`, signed in as the admin, for `use`; closed after. */
async function signedIn(width: number, height: number, hash: string, use: (page: Page) => Promise<void>): Promise<void> {
  const page = await browser.newPage({ viewport: { width, height } });
  try {
    await page.goto(`${server.url}/${hash}`);
    await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
    await use(page);
  } finally {
    await page.close();
  }
}

describe('zooming to a neighbourhood, beside the panels', () => {
  it.each([[1366, 800], [390, 844]])('a search pick lands beside the panel it opens, not under it (%i × %i)', (width, height) => signedIn(width, height, '', async (page) => {
    await waitForMap(page);
    await page.locator('.search__input').fill('KRM-SBK-05');
    await page.locator('.search__result').first().waitFor();
    await page.locator('.search__input').press('Enter');
    await page.locator('.panel__title').waitFor();
    await expect.poll(() => page.evaluate(() => new URLSearchParams(location.hash.slice(1)).get('n'))).toBe(String(wide));
    const seen = await selectedAndPanels(page);
    await page.screenshot({ path: `tests/e2e/.output/layout-search-pick-${width}.png` });
    // Before the fix the panels were measured before the neighbourhood's panel was on the page:
    // Hossein-Abad ran from 70 px to 1296 px, under the panel from 994 px. On a phone, the sheet
    // was measured while its neighbourhood was loading, and then grew: its top at 544 px, the
    // neighbourhood down to 572 px.
    expectClearOfPanels(seen);
  }));

  it('a shared link with a neighbourhood and no map position lands beside its panel', () => signedIn(1366, 800, `#n=${wide}`, async (page) => {
    await page.locator('.panel__title').waitFor();
    expectClearOfPanels(await selectedAndPanels(page));
  }));

  it("a gap picked in the commander's view lands between its panel and the neighbourhood's", () => signedIn(1366, 800, '', async (page) => {
    await waitForMap(page);
    await page.locator('.commander-open').click();
    await page.locator('.commander-gap').first().click();
    await page.locator('.panel__title').waitFor();
    await page.waitForFunction(() => !window.__mahallenamaMap!.isMoving() && window.__mahallenamaMap!.loaded(), undefined, { timeout: 30_000, polling: 250 });
    await page.waitForTimeout(500);
    await page.waitForFunction(() => !window.__mahallenamaMap!.isMoving(), undefined, { timeout: 30_000, polling: 250 });
    const seen = await page.evaluate(SELECTED_AND_PANELS) as Seen;
    expect(seen.panels.map((p) => p.name).sort()).toEqual(['map-panel commander', 'panel']);
    expectClearOfPanels(seen);
  }));
});

describe('the English interface on a phone', () => {
  it('labels every control in English, fits the screen, and no legend covers a panel', () => signedIn(390, 844, '#lang=en', async (page) => {
    await waitForMap(page);
    /** Buttons, links and fields worded with Persian letters; the language switch names Persian in Persian. */
    const persianControls = () => page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('button, a, label, summary, select, input')]
        .filter((el) => !el.classList.contains('lang-switch') && el.getBoundingClientRect().width > 0)
        .map((el) => [el.textContent, el.getAttribute('aria-label'), el.getAttribute('title'), el.getAttribute('placeholder')].join(' ').trim())
        .filter((text) => /[\u0600-\u06FF]/.test(text)));
    const fits = () => page.evaluate(() => document.documentElement.scrollWidth);
    /** Buttons of the open panel that the legend covers. */
    const covered = () => page.evaluate(() => {
      const legend = document.querySelector('.legend')?.getBoundingClientRect();
      if (!legend || legend.width === 0) return [];
      return [...document.querySelectorAll<HTMLElement>('.map-panel button, .panel button, .map-area > button')]
        .filter((el) => {
          const r = el.getBoundingClientRect();
          return r.width > 0 && r.left < legend.right && r.right > legend.left && r.top < legend.bottom && r.bottom > legend.top;
        })
        .map((el) => el.textContent);
    });
    expect(await persianControls()).toEqual([]);
    expect(await fits()).toBeLessThanOrEqual(390);
    expect(await covered()).toEqual([]);
    await page.screenshot({ path: 'tests/e2e/.output/layout-phone-en.png' });
    // Each tool's panel in turn: before the fix the legend stood over the bottom of the problems
    // control, the thematic map and the upload wizard's buttons.
    for (const [open, panel, close] of [
      ['.layers-open', '.layer-switcher', '.layer-switcher .map-panel__header button'],
      ['.method-open', '.method-control', '.method-control .method-icon-button'],
      ['.thematic-open', '.thematic', '.thematic .map-panel__header button'],
      ['.upload-open', '.upload-wizard', '.upload-wizard__header .upload-icon-button'],
    ] as const) {
      await page.locator(open).click();
      await page.locator(panel).waitFor();
      await page.waitForTimeout(300);
      expect(await persianControls(), panel).toEqual([]);
      expect(await fits(), panel).toBeLessThanOrEqual(390);
      expect(await covered(), panel).toEqual([]);
      // The map is drawn below the panel as it is once the panel is closed: before the fix the
      // thematic map's panel left a box of the page's grey there (0.08 of the pixels alike).
      const r = (await page.locator(panel).boundingBox())!;
      const below: PixelBox = { x: Math.round(r.x) + 4, y: Math.round(r.y + r.height) + 16, width: Math.round(r.width) - 8, height: 60 };
      const opened = await page.screenshot({ path: `tests/e2e/.output/layout-phone-en${panel.replace('.', '-')}.png` });
      await page.locator(close).first().click();
      await page.locator(panel).waitFor({ state: 'detached' });
      // The legend comes back with the panel closed: out of the comparison.
      await page.locator('.legend').evaluate((el) => (el.style.visibility = 'hidden'));
      await page.waitForTimeout(300);
      expect(await sameShare(page, below, opened, await page.screenshot()), panel).toBeGreaterThan(0.9);
      await page.locator('.legend').evaluate((el) => (el.style.visibility = ''));
    }
  }));
});

describe('panels over the map', () => {
  it("on a phone the admin's header wraps: the page is no wider than the screen", async () => {
    const page = await openOnJupar(390, 844);
    try {
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(390);
      expect((await page.locator('.app-header').boundingBox())!.width).toBe(390);
    } finally {
      await page.close();
    }
  });

  it('the method control leaves the map drawn below it, where its scrolled-off content would be', async () => {
    const page = await openOnJupar(1366, 800);
    try {
      await page.locator('.method-open').click();
      const panel = page.locator('.method-control');
      await panel.waitFor();
      // Once the agencies are in their filter the panel has its full height; then a frame or two.
      await expect.poll(() => panel.locator('select[name="filter-agency"] option').count(), { timeout: 15_000 }).toBeGreaterThan(1);
      await page.waitForTimeout(500);
      // The box below the panel that its content would fill if it were not scrolled: in chromium
      // the map's canvas went undrawn there, the page's grey instead of the neighbourhoods.
      // Its shadow's 32 px are left out.
      const box = await panel.evaluate((el): PixelBox => {
        const r = el.getBoundingClientRect();
        const map = document.querySelector('.map')!.getBoundingClientRect();
        const overflow = Math.min(el.scrollHeight - el.clientHeight, map.bottom - r.bottom - 1);
        return { x: Math.round(r.left), y: Math.round(r.bottom) + 32, width: Math.round(r.width), height: Math.floor(overflow) - 32 };
      });
      expect(box.height).toBeGreaterThan(60);
      const opened = await page.screenshot();
      await page.locator('.method-control .method-icon-button').click();
      await page.locator('.method-open').waitFor();
      await page.waitForTimeout(300);
      const closed = await page.screenshot();
      expect(await sameShare(page, box, opened, closed)).toBeGreaterThan(0.97);
    } finally {
      await page.close();
    }
  });
});
