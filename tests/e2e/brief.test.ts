import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, signIn } from './browser.js';
import { E2E_ADMIN } from './e2e-admin.js';
import { startServer, type RunningServer } from './server.js';

// The printable brief in Debian's chromium, on the built client and a fresh embedded database
// seeded from geodata/ (see server.ts). Chromium prints it to PDF (page.pdf, what "Save as PDF"
// in the print dialog does), and poppler-utils (pdftotext, pdffonts, pdfinfo) read the file back.
// The PDFs stay in a temporary folder, printed to the log, for a look with `pdftoppm -png`.

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const requests: string[] = [];
const pageErrors: string[] = [];
const pdfDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mahallenama-brief-'));

interface County {
  id: number;
  name_fa: string;
  neighbourhoods_covered: number;
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  context.on('request', (request) => requests.push(request.url()));
  context.on('page', (p) => p.on('pageerror', (error) => pageErrors.push(error.message)));
  page = await context.newPage();
  await page.goto(`${server.url}/`);
  await page.locator('input[name="password"]').waitFor();
  await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  console.log(`brief PDFs in ${pdfDir}`);
});

/** Opens the brief at `search` and waits for it to be ready; the time from the address to ready, in ms. */
async function openBrief(search: string): Promise<number> {
  const started = Date.now();
  await page.goto(`${server.url}/${search}#lang=fa`);
  await page.locator('.brief[data-brief-ready="true"]').waitFor({ timeout: 60_000 });
  return Date.now() - started;
}

function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

async function printPdf(name: string, landscape: boolean): Promise<string> {
  const file = path.join(pdfDir, name);
  fs.writeFileSync(file, await page.pdf({ format: 'A4', landscape, printBackground: true }));
  return file;
}

async function coverage(): Promise<{ counties: County[] }> {
  return page.evaluate(async () => (await fetch('/api/coverage?programme=karamat')).json());
}

/** Dots per inch of the map as printed: its pixels over its printed width (CSS pixels are 1/96 in). */
async function mapDpi(): Promise<number> {
  return page.evaluate(() => {
    const image = document.querySelector<HTMLImageElement>('.brief-map__image')!;
    return image.naturalWidth / (image.getBoundingClientRect().width / 96);
  });
}

describe('the printable brief', () => {
  it("opens from the commander's view in a tab of its own", async () => {
    await page.locator('.commander-open').click();
    await page.locator('[data-export="pdf"]').waitFor();
    const [tab] = await Promise.all([context.waitForEvent('page'), page.locator('[data-export="pdf"]').click()]);
    // Its own print dialog is a no-op in headless chromium.
    await tab.locator('.brief[data-brief-ready="true"]').waitFor({ timeout: 60_000 });
    const url = new URL(tab.url());
    expect(url.searchParams.get('brief')).toBe('1');
    expect(url.searchParams.get('programme')).toBe('karamat');
    expect(url.searchParams.get('orient')).toBe('landscape');
    // Asked for the print dialog once; a reload does not ask again.
    expect(url.searchParams.has('print')).toBe(false);
    expect(await tab.locator('.brief-title').textContent()).toBe('گزارش پوشش طرح کرامت');
    await tab.close();

    // A county and portrait, chosen beside the button, are what the brief frames and prints on.
    const { counties } = await coverage();
    const county = counties.find((c) => c.neighbourhoods_covered > 0)!;
    await page.locator('select[name="brief-area"]').selectOption({ label: county.name_fa });
    await page.locator('select[name="brief-orient"]').selectOption({ label: 'عمودی' });
    const [portrait] = await Promise.all([context.waitForEvent('page'), page.locator('[data-export="pdf"]').click()]);
    await portrait.locator('.brief[data-brief-ready="true"]').waitFor({ timeout: 60_000 });
    const chosen = new URL(portrait.url());
    expect(chosen.searchParams.get('county')).toBe(String(county.id));
    expect(chosen.searchParams.get('orient')).toBe('portrait');
    expect(await portrait.locator('.brief-area').textContent()).toBe(county.name_fa);
    await portrait.close();
  });

  it('prints an A4 landscape PDF whose Persian text is text, in Vazirmatn, with the county table', async () => {
    const ms = await openBrief('?brief=1&programme=karamat&orient=landscape');
    const shownMs = await page.locator('.brief').getAttribute('data-brief-ms');
    console.log(`landscape brief ready ${ms} ms after opening its address (page's own count: ${shownMs} ms)`);
    expect(await mapDpi()).toBeGreaterThanOrEqual(200);

    const file = await printPdf('brief-landscape.pdf', true);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+84[12]\.\d+ x 59[56]\.\d+ pts \(A4\)/);
    expect(Number(/Pages:\s+(\d+)/.exec(info)![1])).toBe(2);
    expect(execFileSync('pdffonts', [file], { encoding: 'utf8' })).toMatch(/\+Vazirmatn\S*\s+(TrueType|CID TrueType|Type 1C|CID Type 0C)\S*\s+\S+\s+yes\s+yes/);

    const text = pdfText(file);
    expect(text).toContain('طرح کرامت');
    expect(text).toContain('پوشش به تفکیک شهرستان');
    const { counties } = await coverage();
    expect(counties.length).toBeGreaterThan(20);
    for (const county of counties) expect(text).toContain(county.name_fa);
    // The headline figure of the seed, in Persian digits: 65 neighbourhoods covered.
    expect(text).toContain('۶۵');
    expect(text).toMatch(/۱۴۰۵/);
  });

  it('prints portrait, framed on one county', async () => {
    const { counties } = await coverage();
    const county = counties.find((c) => c.neighbourhoods_covered > 0)!;
    const ms = await openBrief(`?brief=1&programme=karamat&orient=portrait&county=${county.id}`);
    console.log(`portrait county brief ready in ${ms} ms`);
    expect(await mapDpi()).toBeGreaterThanOrEqual(200);
    expect(await page.locator('.brief-area').textContent()).toBe(county.name_fa);
    expect(await page.locator('.brief-table__chosen th').textContent()).toBe(county.name_fa);

    const file = await printPdf('brief-portrait-county.pdf', false);
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Page size:\s+59[56]\.\d+ x 84[12]\.\d+ pts \(A4\)/);
    const text = pdfText(file);
    expect(text).toContain('طرح کرامت');
    for (const c of counties) expect(text).toContain(c.name_fa);
  });

  it('says why when the programme does not exist', async () => {
    await page.goto(`${server.url}/?brief=1&programme=no_such_programme#lang=fa`);
    const alert = page.locator('.brief[data-brief-error="programme"] [role="alert"]');
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toContain('این برنامه پیدا نشد');
  });

  it('says why when the map cannot load its tiles', async () => {
    await page.route('**/tiles/coverage/**', (route) => route.fulfill({ status: 503, body: 'down for the test' }));
    try {
      await page.goto(`${server.url}/?brief=1&programme=karamat#lang=en`);
      const alert = page.locator('.brief[data-brief-error="map"] [role="alert"]');
      await alert.waitFor({ timeout: 60_000 });
      expect(await alert.textContent()).toContain('The map did not load');
      expect(await page.locator('.brief').getAttribute('data-brief-ready')).toBeNull();
    } finally {
      await page.unroute('**/tiles/coverage/**');
    }
  });

  it('stays on its own origin and throws nothing', () => {
    expect(requests.filter((url) => !url.startsWith(server.url) && !url.startsWith('data:') && !url.startsWith('blob:'))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
