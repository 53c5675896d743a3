import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { addDays, formatDateInput, isoToJalali, localIsoDay } from '../../shared/jalali.js';
import { launchBrowser, signIn, waitForMap } from './browser.js';
import { E2E_ADMIN } from './e2e-admin.js';
import { e2eBackends, type RunningServer } from './server.js';

// A planner in Kerman types dates in the Solar Hijri calendar, loses the session in the middle
// of a form, reloads the page half-way through another, and closes panels with Esc — in
// chromium, on the embedded database and (with DATABASE_URL) on a PostGIS server. What the
// forms stored is read back through the API.

const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000, interval: 100 });
const SHOTS = 'tests/e2e/.output';

async function apiAs(base: string, username: string, password: string) {
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  if (!login.ok) throw new Error(`login of ${username} failed: ${login.status}`);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const headers = { cookie, origin: base, 'content-type': 'application/json' };
  return {
    get: async <T>(url: string) => (await (await fetch(`${base}${url}`, { headers })).json()) as T,
    post: async (url: string, body: unknown) => fetch(`${base}${url}`, { method: 'POST', headers, body: JSON.stringify(body) }),
  };
}

/** Latin digits as Persian ones, as a Persian keyboard types them. */
const persianDigits = (text: string) => text.replace(/[0-9]/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);

interface StoredProblem {
  title: string;
  description: string | null;
  due_date: string | null;
}

describe.each(e2eBackends())('Persian forms on $name', (backend) => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let neighbourhoodId: number;
  let api: Awaited<ReturnType<typeof apiAs>>;
  const pageErrors: string[] = [];
  const planner = { username: 'planner-fa', password: 'planner-fa-password' };
  const panel = () => page.locator('.panel');
  const createForm = () => panel().locator('form[name="problem-create"]');
  const problems = async () => (await api.get<{ items: StoredProblem[] }>(`/api/problems?neighbourhood=${neighbourhoodId}`)).items;

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    server = await backend.start();
    const admin = await apiAs(server.url, E2E_ADMIN.username, E2E_ADMIN.password);
    expect((await admin.post('/api/users', { ...planner, role: 'planner' })).status).toBe(201);
    api = await apiAs(server.url, planner.username, planner.password);
    const found = await api.get<{ features: { id: number; properties: { code: string } }[] }>('/api/neighbourhoods?q=Jupar');
    neighbourhoodId = found.features.find((f) => f.properties.code === 'KRM-C-031')!.id;

    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${server.url}/#n=${neighbourhoodId}`);
    await signIn(page, planner.username, planner.password);
    await waitForMap(page);
    await panel().locator('.method-section').waitFor();
    // The embedded database seeds in WebAssembly: minutes on a busy shared machine.
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('refuses 1405/13/40 in Persian and does not send the form', async () => {
    await panel().locator('button[name="add-problem"]').click();
    await createForm().locator('input[name="title"]').fill('تاریخ نادرست');
    const due = createForm().locator('input[name="due_date"]');
    await due.fill('1405/13/40');
    await createForm().locator('button[type="submit"]').click();
    const refusal = createForm().locator('.date-input__refusal');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe('ماه باید از ۱ تا ۱۲ باشد.');
    expect(await due.getAttribute('aria-invalid')).toBe('true');
    // The browser kept the form back: nothing reached the server.
    expect(await page.evaluate(() => (document.querySelector('input[name="due_date"]') as HTMLInputElement).validity.valid)).toBe(false);
    expect((await problems()).map((p) => p.title)).not.toContain('تاریخ نادرست');
    await due.fill('۱۴۰۵/۰۷/۳۱');
    await due.blur();
    expect(await refusal.textContent()).toBe('این ماه چنین روزی ندارد.');
  });

  it('stores a Solar Hijri due date, typed with Persian digits, as the right ISO day', async () => {
    const due = createForm().locator('input[name="due_date"]');
    const iso = addDays(localIsoDay(new Date()), 40);
    await due.fill(persianDigits(formatDateInput(iso, 'jalali')));
    expect(await createForm().locator('.date-input__refusal').count()).toBe(0);
    await createForm().locator('input[name="title"]').fill('مهلت شمسی');
    await createForm().locator('button[type="submit"]').click();
    await panel().locator('.method-item', { hasText: 'مهلت شمسی' }).waitFor();
    const stored = (await problems()).find((p) => p.title === 'مهلت شمسی');
    expect(stored?.due_date).toBe(iso);
  });

  it('picks a day from the month view: Persian month names, «امروز», Saturday first', async () => {
    await panel().locator('button[name="add-problem"]').click();
    await createForm().locator('button[name="due_date-calendar"]').click();
    const calendar = createForm().locator('.date-input__calendar');
    await calendar.waitFor();
    const today = isoToJalali(localIsoDay(new Date()));
    const months = ['فروردین', 'اردیبهشت', 'خرداد', 'تیر', 'مرداد', 'شهریور', 'مهر', 'آبان', 'آذر', 'دی', 'بهمن', 'اسفند'];
    expect(await calendar.locator('.date-input__title').textContent()).toBe(`${months[today.month - 1]} ${persianDigits(String(today.year))}`);
    expect(await calendar.locator('.date-input__weekday').first().textContent()).toBe('ش');
    await page.screenshot({ path: `${SHOTS}/date-picker-desktop.png` });
    await calendar.locator('button[aria-label="ماه بعد"]').click();
    const next = today.month === 12 ? months[0] : months[today.month];
    expect(await calendar.locator('.date-input__title').textContent()).toContain(next!);
    await calendar.locator('button[name="due_date-today"]').click();
    expect(await createForm().locator('input[name="due_date"]').inputValue()).toBe(formatDateInput(localIsoDay(new Date()), 'jalali'));
    // Esc closes the month view, not the panel.
    await createForm().locator('button[name="due_date-calendar"]').click();
    await page.keyboard.press('Escape');
    await eventually(() => calendar.count()).toBe(0);
    expect(await panel().count()).toBe(1);
  });

  it('asks before saving a due date in the past, in the page, and saves when confirmed', async () => {
    const past = addDays(localIsoDay(new Date()), -3);
    await createForm().locator('input[name="title"]').fill('مهلت گذشته');
    await createForm().locator('input[name="due_date"]').fill(formatDateInput(past, 'jalali'));
    await createForm().locator('button[type="submit"]').click();
    const question = createForm().locator('.confirm__question');
    await question.waitFor();
    expect(await question.textContent()).toContain('گذشته است');
    expect((await problems()).map((p) => p.title)).not.toContain('مهلت گذشته');
    // Asked as the browser would, from the keyboard: focus is on yes, and Enter answers it.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('confirm-yes');
    await page.keyboard.press('Enter');
    await panel().locator('.method-item', { hasText: 'مهلت گذشته' }).waitFor();
    expect((await problems()).find((p) => p.title === 'مهلت گذشته')?.due_date).toBe(past);
  });

  it('keeps the form when the session ends, asks for the password in place, and saves every character', async () => {
    const title = 'آب‌گرفتگی کوچهٔ ۱۲ «جوپار» — پس از باران';
    const description = 'سطر اول\nسطر دوم با نیم‌فاصله: می‌شود، نمی‌شود؛ و ي/ك عربی و 123 لاتین';
    const iso = addDays(localIsoDay(new Date()), 90);
    await panel().locator('button[name="add-problem"]').click();
    await createForm().locator('select[name="category"]').selectOption({ label: 'عمرانی و محیطی' });
    await createForm().locator('input[name="title"]').fill(title);
    await createForm().locator('textarea[name="description"]').fill(description);
    await createForm().locator('input[name="due_date"]').fill(formatDateInput(iso, 'jalali'));

    // Signed out in another tab: the session ends on the server, the cookie goes.
    const other = await context.newPage();
    await other.goto(`${server.url}/api/health`);
    expect(await other.evaluate(() => fetch('/api/auth/logout', { method: 'POST' }).then((r) => r.status))).toBe(204);
    await other.close();

    await createForm().locator('button[type="submit"]').click();
    const dialog = page.locator('.sign-in-again');
    await dialog.waitFor();
    expect(await dialog.locator('input[name="username"]').inputValue()).toBe(planner.username);
    // The form is still there underneath, as it was.
    expect(await createForm().locator('input[name="title"]').inputValue()).toBe(title);
    await page.screenshot({ path: `${SHOTS}/sign-in-again-desktop.png` });
    await dialog.locator('input[name="password"]').fill('not the password');
    await dialog.locator('button[type="submit"]').click();
    await eventually(() => dialog.locator('.sign-in__error').textContent()).toBe('نام کاربری یا گذرواژه نادرست است.');
    await dialog.locator('input[name="password"]').fill(planner.password);
    await dialog.locator('button[type="submit"]').click();

    await eventually(() => dialog.count()).toBe(0);
    await panel().locator('.method-item', { hasText: title }).waitFor();
    const stored = (await problems()).filter((p) => p.title === title);
    expect(stored).toEqual([expect.objectContaining({ title, description, due_date: iso })]);
    expect(await page.locator('.sign-in').count()).toBe(0);
  });

  it('keeps a half-filled form across a reload, and forgets it once cancelled', async () => {
    await panel().locator('button[name="add-network"]').click();
    const form = panel().locator('form[name="network-create"]');
    await form.locator('select[name="kind"]').selectOption({ label: 'معلمان' });
    await form.locator('input[name="name"]').fill('معلمان همراه جوپار');
    await form.locator('input[name="members"]').fill('14');
    await form.locator('input[name="since"]').fill('1405/08/01');
    await page.reload();
    await waitForMap(page);
    const restored = panel().locator('form[name="network-create"]');
    await restored.waitFor();
    expect(await restored.locator('input[name="name"]').inputValue()).toBe('معلمان همراه جوپار');
    expect(await restored.locator('input[name="members"]').inputValue()).toBe('14');
    expect(await restored.locator('input[name="since"]').inputValue()).toBe('1405/08/01');
    expect(await restored.locator('select[name="kind"] option:checked').textContent()).toBe('معلمان');
    await restored.locator('button', { hasText: 'انصراف' }).click();
    await page.reload();
    await waitForMap(page);
    await panel().locator('button[name="add-network"]').waitFor();
    expect(await panel().locator('form[name="network-create"]').count()).toBe(0);
  });

  it('closes the panel on top with Esc, one per press', async () => {
    await page.locator('.method-open').click();
    await page.locator('.method-control').waitFor();
    await page.keyboard.press('Escape');
    await eventually(() => page.locator('.method-control').count()).toBe(0);
    expect(await panel().count()).toBe(1);
    // Two presses in quick succession, before the page has painted in between, close two panels.
    await page.locator('.method-open').click();
    await page.locator('.method-control').waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await eventually(() => panel().count()).toBe(0);
    expect(await page.locator('.method-control').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
