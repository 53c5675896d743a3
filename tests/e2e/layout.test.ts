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
