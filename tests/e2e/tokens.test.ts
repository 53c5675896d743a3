import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, signIn, waitForMap } from './browser.js';
import { E2E_ADMIN } from './e2e-admin.js';
import { startServer, type RunningServer } from './server.js';

// Issue 13 part 7: every user sees their own API tokens, makes one (shown once) and revokes it.
// Issue 15 part 6: revoking asks in the page, never with the browser's confirm dialog.

let server: RunningServer;
let browser: Browser;
let page: Page;
/** Every browser dialog (confirm, alert) the page opened: there must be none. */
const dialogs: string[] = [];

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
});

/** The names of the signed-in user's tokens, as the API lists them. */
const listed = () => page.evaluate(() => fetch('/api/tokens').then((r) => r.json()).then((body: { items: { name: string }[] }) => body.items.map((t) => t.name)));

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

    // Revoking asks under the token's row, with focus on its yes. Esc answers no, and goes no
    // further: the tokens dialog stays open and the token stays.
    const question = page.locator('.tokens .confirm');
    await page.locator('.tokens__revoke').click();
    await question.waitFor();
    expect(await question.getAttribute('role')).toBe('alertdialog');
    expect(await question.locator('.confirm__question').textContent()).toBe('کلید «QGIS رایانهٔ دفتر» باطل شود؟ برنامه‌ای که با آن کار می‌کند دیگر وصل نمی‌شود.');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('confirm-revoke');
    await page.screenshot({ path: 'tests/e2e/.output/tokens-revoke-question.png' });
    await page.keyboard.press('Escape');
    await question.waitFor({ state: 'detached' });
    expect(await page.locator('.tokens').count()).toBe(1);
    // Focus is back on the button that asked.
    expect(await page.evaluate(() => document.activeElement?.classList.contains('tokens__revoke'))).toBe(true);
    expect(await listed()).toEqual(['QGIS رایانهٔ دفتر']);
    expect(await page.evaluate((t) => fetch('/api/auth/me', { headers: { authorization: `Bearer ${t}` } }).then((r) => r.status), token)).toBe(200);

    // Its cancel button leaves the token as well.
    await page.locator('.tokens__revoke').click();
    await question.locator('button[name="cancel-revoke"]').click();
    await question.waitFor({ state: 'detached' });
    expect(await listed()).toEqual(['QGIS رایانهٔ دفتر']);

    // Yes revokes it.
    await page.locator('.tokens__revoke').click();
    await question.locator('button[name="confirm-revoke"]').click();
    await page.locator('.tokens').getByText('کلید باطل شد.').waitFor();
    expect(await listed()).toEqual([]);
    expect(await page.locator('.tokens tbody tr').count()).toBe(0);
    const after = await page.evaluate((t) => fetch('/api/auth/me', { headers: { authorization: `Bearer ${t}` } }).then((r) => r.status), token);
    expect(after).toBe(401);
    await page.keyboard.press('Escape');
    expect(await page.locator('.tokens').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });
});
