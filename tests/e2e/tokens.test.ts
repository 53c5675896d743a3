import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, signIn, waitForMap } from './browser.js';
import { E2E_ADMIN } from './e2e-admin.js';
import { startServer, type RunningServer } from './server.js';

// Issue 13 part 7: every user sees their own API tokens, makes one (shown once) and revokes it.

let server: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('API tokens', () => {
  it('makes a token, shows it once, lists it and revokes it', async () => {
    await page.goto(`${server.url}/`);
    await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
    await waitForMap(page);
    await page.locator('.tokens-open').click();
    await page.locator('.tokens').getByText('هنوز کلیدی نساخته‌اید.').waitFor();

    await page.locator('.tokens input[name="name"]').fill('QGIS رایانهٔ دفتر');
    await page.locator('.tokens button[type="submit"]').click();
    const shown = page.locator('.tokens__new code');
    await shown.waitFor();
    const token = (await shown.textContent()) ?? '';
    expect(token).toMatch(/^mn_/);
    const row = page.locator('.tokens tbody tr');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    expect(await row.locator('td').first().textContent()).toBe('QGIS رایانهٔ دفتر');
    expect(await row.locator('td').nth(2).textContent()).toBe('هرگز');
    const me = await page.evaluate((t) => fetch('/api/auth/me', { headers: { authorization: `Bearer ${t}` } }).then((r) => r.status), token);
    expect(me).toBe(200);
    await page.screenshot({ path: 'tests/e2e/.output/tokens.png' });

    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('.tokens__revoke').click();
    await page.locator('.tokens').getByText('کلید باطل شد.').waitFor();
    expect(await page.locator('.tokens tbody tr').count()).toBe(0);
    const after = await page.evaluate((t) => fetch('/api/auth/me', { headers: { authorization: `Bearer ${t}` } }).then((r) => r.status), token);
    expect(after).toBe(401);
    await page.keyboard.press('Escape');
    expect(await page.locator('.tokens').count()).toBe(0);
  });
});
