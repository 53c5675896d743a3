import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, signIn, waitForMap } from './browser.js';
import { E2E_ADMIN } from './e2e-admin.js';
import { startServer, type RunningServer } from './server.js';

// An admin manages users and reads the audit log in the browser; the new user then signs in
// and sees neither the admin button nor an admin's powers.

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

describe('administration', () => {
  it('shows the signed-in user and role in the header', async () => {
    await page.goto(`${server.url}/`);
    await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
    await waitForMap(page);
    expect(await page.locator('.header__user bdi').textContent()).toBe('admin');
    expect(await page.locator('.header__role').textContent()).toBe('مدیر سامانه');
  });

  it('adds a planner and finds the change in the audit log', async () => {
    await page.locator('.admin-open').click();
    await page.locator('.admin-add input[name="username"]').fill('parisa');
    await page.locator('.admin-add input[name="password"]').fill('parisa-password-1');
    await page.locator('.admin-add select[name="role"]').selectOption('planner');
    await page.locator('.admin-add button[type="submit"]').click();
    await page.locator('.admin-table__name', { hasText: 'parisa' }).waitFor();
    expect(await page.locator('.admin__message--ok').textContent()).toBe('ذخیره شد');

    await page.locator('.admin__tabs button', { hasText: 'گزارش تغییرات' }).click();
    await page.locator('.admin-filter select[name="entity"]').selectOption('users');
    await page.locator('.admin-filter button[type="submit"]').click();
    const row = page.locator('.admin-table--audit tbody tr').first();
    await row.waitFor();
    expect(await row.locator('td').nth(1).textContent()).toBe('admin');
    expect(await row.locator('td').nth(2).textContent()).toBe('create');
    expect(await row.locator('.admin-table__change').textContent()).toContain('username: parisa');
    await page.screenshot({ path: 'tests/e2e/.output/admin-audit.png' }).catch(() => undefined);
    await page.keyboard.press('Escape');
    expect(await page.locator('.admin').count()).toBe(0);
  });

  it('gives the new planner no admin button and a planner badge', async () => {
    await page.locator('.sign-out').click();
    await page.locator('input[name="password"]').waitFor();
    await signIn(page, 'parisa', 'parisa-password-1');
    await waitForMap(page);
    expect(await page.locator('.header__role').textContent()).toBe('برنامه‌ریز');
    expect(await page.locator('.admin-open').count()).toBe(0);
    const status = await page.evaluate(() => fetch('/api/users').then((r) => r.status));
    expect(status).toBe(403);
  });
});
