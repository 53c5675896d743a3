import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, Response } from 'playwright-core';
import { launchBrowser, waitForMap } from './browser.js';
import { E2E_ADMIN } from './e2e-admin.js';
import { startServer, type RunningServer } from './server.js';

// The sign-in page is what a county office on a slow link waits for first: it must not carry the
// map. Every script and stylesheet the page receives is read here, so a static import of MapLibre
// creeping back into the first chunk fails this file, whatever the chunks happen to be called.

let server: RunningServer;
let browser: Browser;
let page: Page;
/** Scripts and stylesheets the page received, with their text, in order. */
const code: { url: string; body: string }[] = [];
const requested: string[] = [];
const reading: Promise<void>[] = [];
const pageErrors: string[] = [];

async function record(response: Response): Promise<void> {
  const type = response.request().resourceType();
  if (type !== 'script' && type !== 'stylesheet') return;
  code.push({ url: response.url(), body: await response.text() });
}

/** The code received so far, settled: every response body has been read. */
async function received(): Promise<{ url: string; body: string }[]> {
  await page.waitForLoadState('networkidle');
  await Promise.all(reading);
  return [...code];
}

const assetName = (url: string) => new URL(url).pathname.replace(/^\/assets\//, '');

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.on('request', (request) => requested.push(request.url()));
  context.on('response', (response) => void reading.push(record(response)));
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('a light sign-in page', () => {
  it('shows the sign-in form without fetching any of the map code', async () => {
    await page.goto(`${server.url}/`);
    await page.locator('input[name="password"]').waitFor();
    const first = await received();

    expect(first.some((c) => c.url.endsWith('.js'))).toBe(true);
    expect(first.some((c) => c.url.endsWith('.css'))).toBe(true);
    // MapLibre names itself all through its code and its stylesheet (`maplibregl-…` classes).
    const withMap = first.filter((c) => /maplibre/i.test(c.body)).map((c) => assetName(c.url));
    expect(withMap).toEqual([]);
    expect(requested.filter((url) => /maplibre|worker/i.test(url))).toEqual([]);
    // Nor the panels of any role.
    expect(first.filter((c) => /commander|upload|admin/.test(assetName(c.url)))).toEqual([]);
    // The sign-in form is styled all the same.
    const button = await page.locator('form button[type="submit"]').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(button).toBe('rgb(61, 49, 86)');
  });

  it('fetches the map code while the user types, then signs in onto a working map', async () => {
    const before = code.length;
    await page.locator('input[name="username"]').fill(E2E_ADMIN.username);
    await page.waitForLoadState('networkidle');
    await expect.poll(() => code.slice(before).some((c) => /maplibre/i.test(c.body)), { timeout: 30_000 }).toBe(true);

    await page.locator('input[name="password"]').fill(E2E_ADMIN.password);
    await page.locator('form button[type="submit"]').click();
    await page.locator('.app-header').waitFor();
    await waitForMap(page);
    expect(await page.locator('.legend__title').textContent()).toBe('شاخص محرومیت');
    expect(requested.some((url) => /maplibre-gl-worker.*\.mjs$/.test(url))).toBe(true);
    // The map screen's own stylesheet came with it.
    const headerBorder = await page.locator('.app-header').evaluate((el) => getComputedStyle(el).borderBottomStyle);
    expect(headerBorder).toBe('solid');
  });

  it("fetches each role's panels only when they are opened", async () => {
    const fetched = (prefix: string, ext: string) => code.some((c) => assetName(c.url).startsWith(prefix) && c.url.endsWith(ext));
    // An admin sees the buttons of the commander's view, the upload wizard and the admin panel …
    await page.locator('.commander-open').waitFor();
    await page.locator('.upload-open').waitFor();
    await page.locator('.admin-open').waitFor();
    await page.waitForLoadState('networkidle');
    await Promise.all(reading);
    // … but none of their code until a button is pressed.
    expect(code.filter((c) => /^(commander-view|upload-wizard|admin-panel|admin|tokens-panel)-/.test(assetName(c.url))).map((c) => assetName(c.url))).toEqual([]);

    await page.locator('.upload-open').click();
    await page.locator('.upload-wizard').waitFor();
    await Promise.all(reading);
    expect(fetched('upload-wizard-', '.js') && fetched('upload-wizard-', '.css')).toBe(true);
    expect(fetched('commander-view-', '.js')).toBe(false);
    await page.locator('.upload-wizard__header .upload-icon-button').click();
    await page.locator('.upload-wizard').waitFor({ state: 'detached' });

    await page.locator('.commander-open').click();
    await page.locator('.commander').waitFor();
    await Promise.all(reading);
    expect(fetched('commander-view-', '.js') && fetched('commander-view-', '.css')).toBe(true);

    await page.locator('.admin-open').click();
    await page.locator('.admin').waitFor();
    await Promise.all(reading);
    // admin.css is shared by the admin panel and the tokens dialog, so it is a chunk of its own
    // (admin-*.css), fetched with whichever of them opens first.
    expect(fetched('admin-panel-', '.js') && fetched('admin-', '.css')).toBe(true);
  });

  it('threw no errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
