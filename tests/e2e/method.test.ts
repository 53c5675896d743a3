import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, signIn, waitForMap } from './browser.js';
import { E2E_ADMIN } from './e2e-admin.js';
import { e2eBackends, type RunningServer } from './server.js';

// A planner takes one neighbourhood through the programme's method entirely in the UI, in
// chromium, on the embedded database and (when DATABASE_URL is set) on a PostGIS server:
// sign in on the login page, find the neighbourhood, record its problems (stage 1), review
// them, give each one responsible agency and follow them up to resolved, with a refusal on
// the way (stage 2), record an intervention with its partners and a local network (stage 3).
// The database is checked through the API afterwards.

/** The UI answers after a request or two, on a machine other tests share: wait for it, up to 15 s. */
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000, interval: 100 });

/** A signed-in API client for checks and set-up (the UI does the work under test). */
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

describe.each(e2eBackends())('a planner works the method in the UI on $name', (backend) => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let neighbourhoodId: number;
  const requests: string[] = [];
  const pageErrors: string[] = [];
  const planner = { username: 'planner-e2e', password: 'planner-e2e-password' };
  const titles = {
    lighting: 'نبود روشنایی در کوچه‌های جوپار <b>شب</b>',
    dropout: 'ترک تحصیل دختران نوجوان',
  };

  beforeAll(async () => {
    server = await backend.start();
    const admin = await apiAs(server.url, E2E_ADMIN.username, E2E_ADMIN.password);
    const created = await admin.post('/api/users', { ...planner, role: 'planner' });
    expect(created.status).toBe(201);
    const found = await admin.get<{ features: { id: number; properties: { code: string } }[] }>('/api/neighbourhoods?q=Jupar');
    neighbourhoodId = found.features.find((f) => f.properties.code === 'KRM-C-031')!.id;

    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    context.on('request', (request) => requests.push(request.url()));
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // The embedded database seeds in WebAssembly: minutes on a busy shared machine.
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const panel = () => page.locator('.panel');
  const stageBadge = () => panel().locator('.method-block__title .method-stage-badge');
  const problem = (title: string) => panel().locator('.method-item', { hasText: title });

  async function updateProblem(title: string, change: { status?: string; agency?: string; note?: string; reason?: string }) {
    const item = problem(title);
    if ((await item.locator('form[name="problem-update"]').count()) === 0) await item.locator('.method-item__head').click();
    const form = item.locator('form[name="problem-update"]');
    if (change.status) await form.locator('select[name="status"]').selectOption({ label: change.status });
    if (change.agency) await form.locator('select[name="agency"]').selectOption({ label: change.agency });
    if (change.reason) await form.locator('input[name="blocked_reason"]').fill(change.reason);
    if (change.note) await form.locator('textarea[name="note"]').fill(change.note);
    await form.locator('button[type="submit"]').click();
  }

  it('signs the planner in on the login page and finds Jupar by name', async () => {
    await page.goto(`${server.url}/`);
    await signIn(page, planner.username, planner.password);
    await waitForMap(page);
    await page.locator('.search__input').fill('جوپار');
    await page.locator('.search__result').first().waitFor();
    await page.locator('.search__input').press('Enter');
    await eventually(() => page.locator('.panel__title').textContent()).toBe('کوی جوپار');
    await panel().locator('.method-section').waitFor();
    expect(await stageBadge().textContent()).toBe('آغاز نشده');
    // Nothing to review yet: the button waits for problems.
    expect(await panel().locator('button[name="mark-reviewed"]').isDisabled()).toBe(true);
  });

  it('records the problems (stage 1) and marks the identification reviewed', async () => {
    await panel().locator('button[name="add-problem"]').click();
    let form = panel().locator('form[name="problem-create"]');
    await form.locator('select[name="category"]').selectOption({ label: 'عمرانی و محیطی' });
    await form.locator('input[name="title"]').fill(titles.lighting);
    await form.locator('select[name="severity"]').selectOption({ label: '۴' });
    await form.locator('button[type="submit"]').click();
    await problem(titles.lighting).waitFor();
    // Stored as typed and shown as text: the tags are characters, not markup.
    expect(await problem(titles.lighting).locator('.method-item__title').textContent()).toBe(titles.lighting);
    expect(await problem(titles.lighting).locator('.method-item__title b').count()).toBe(0);
    expect(await problem(titles.lighting).locator('.method-status').textContent()).toBe('شناسایی‌شده');
    expect(await problem(titles.lighting).locator('.method-agency').textContent()).toBe('بی‌متولی');

    await panel().locator('button[name="add-problem"]').click();
    form = panel().locator('form[name="problem-create"]');
    await form.locator('select[name="category"]').selectOption({ label: 'آموزشی' });
    await form.locator('input[name="title"]').fill(titles.dropout);
    await form.locator('select[name="agency"]').selectOption({ label: 'اداره کل آموزش و پرورش استان کرمان' });
    // Typed in the Solar Hijri calendar, Persian digits, as a Kerman planner writes it.
    await form.locator('input[name="due_date"]').fill('۱۴۰۵/۱۰/۲۵');
    expect(await form.locator('.method-field__hint').textContent()).toBe('۲۵ دی ۱۴۰۵');
    await form.locator('button[type="submit"]').click();
    await problem(titles.dropout).waitFor();
    expect(await problem(titles.dropout).locator('.method-status').textContent()).toBe('واگذارشده');
    expect(await problem(titles.dropout).locator('time').textContent()).toBe('۲۵ دی ۱۴۰۵');
    await eventually(() => stageBadge().textContent()).toBe('مسئله‌شناسی');

    await panel().locator('button[name="mark-reviewed"]').click();
    await eventually(() => stageBadge().textContent()).toBe('اقدام و پیگیری');
    expect(await panel().locator('.method-steps li').first().getAttribute('class')).toBe('is-done');
  });

  it('refuses to assign a problem without an agency, and says what is allowed', async () => {
    await updateProblem(titles.lighting, { status: 'واگذارشده' });
    const refusal = problem(titles.lighting).locator('.method-error');
    await refusal.waitFor();
    expect(await refusal.getAttribute('role')).toBe('alert');
    expect(await refusal.textContent()).toContain('بدون یک دستگاه متولی');
    expect(await refusal.textContent()).toContain('گام‌های مجاز: واگذارشده');
    expect(await problem(titles.lighting).locator('.method-status').textContent()).toBe('شناسایی‌شده');
  });

  it('follows both problems up to resolved, moving one to another agency with a reason (stage 2)', async () => {
    await updateProblem(titles.lighting, { status: 'واگذارشده', agency: 'اداره کل راه و شهرسازی استان کرمان' });
    await eventually(() => problem(titles.lighting).locator('.method-status').textContent()).toBe('واگذارشده');

    // The municipality, not roads: moving it needs a note, kept in the history.
    await updateProblem(titles.lighting, { agency: 'شهرداری کرمان', note: 'روشنایی معابر با شهرداری است' });
    await eventually(() => problem(titles.lighting).locator('.method-agency').textContent()).toBe('شهرداری کرمان');
    await updateProblem(titles.lighting, { status: 'در حال اقدام' });
    await eventually(() => problem(titles.lighting).locator('.method-status').textContent()).toBe('در حال اقدام');
    await updateProblem(titles.lighting, { status: 'حل‌شده', note: 'تیرهای چراغ نصب شد' });
    await eventually(() => problem(titles.lighting).locator('.method-status').textContent()).toBe('حل‌شده');

    const timeline = problem(titles.lighting).locator('.method-timeline__events li');
    await eventually(() => timeline.count()).toBe(5);
    const history = await timeline.allTextContents();
    expect(history[0]).toContain('ثبت شد');
    expect(history[0]).toContain(planner.username);
    expect(history[2]).toContain('متولی: اداره کل راه و شهرسازی استان کرمان ← شهرداری کرمان');
    expect(history[2]).toContain('روشنایی معابر با شهرداری است');
    expect(history[4]).toContain('وضعیت: در حال اقدام ← حل‌شده');

    await updateProblem(titles.dropout, { status: 'در حال اقدام' });
    await eventually(() => problem(titles.dropout).locator('.method-status').textContent()).toBe('در حال اقدام');
    await updateProblem(titles.dropout, { status: 'حل‌شده' });
    await eventually(() => problem(titles.dropout).locator('.method-status').textContent()).toBe('حل‌شده');
    await eventually(() => panel().locator('.method-steps__detail').nth(1).textContent()).toContain('۲ از ۲');
  });

  it('records an intervention with its partner agencies and the problems it answers', async () => {
    await panel().locator('button[name="add-intervention"]').click();
    const form = panel().locator('form[name="intervention-create"]');
    await form.locator('input[name="title"]').fill('روشنایی و بازگشت به مدرسه در جوپار');
    await form.locator('select[name="category"]').selectOption({ label: 'عمرانی و محیطی' });
    await form.locator('select[name="lead_agency"]').selectOption({ label: 'شهرداری کرمان' });
    await form.locator('button[name="add-partner"]').click();
    await form.locator('select[name="partner-agency-0"]').selectOption({ label: 'شهرداری کرمان' });
    await form.locator('input[name="partner-commitment-0"]').fill('نصب روشنایی معابر');
    await form.locator('input[name="partner-progress-0"]').fill('100');
    await form.locator('button[name="add-partner"]').click();
    await form.locator('select[name="partner-agency-1"]').selectOption({ label: 'اداره کل آموزش و پرورش استان کرمان' });
    await form.locator('input[name="partner-commitment-1"]').fill('کلاس جبرانی');
    await form.locator('input[name="partner-progress-1"]').fill('80');
    await form.locator('fieldset', { hasText: 'مسائلی که پاسخ می‌دهد' }).locator('input[type="checkbox"]').first().check();
    await form.locator('fieldset', { hasText: 'مسائلی که پاسخ می‌دهد' }).locator('input[type="checkbox"]').nth(1).check();
    await form.locator('select[name="status"]').selectOption({ label: 'در حال اجرا' });
    await form.locator('input[name="start_date"]').fill('1405/07/01');
    await form.locator('input[name="budget"]').fill('3500000000');
    await form.locator('button[type="submit"]').click();

    const item = panel().locator('.method-item[data-intervention-id]', { hasText: 'روشنایی و بازگشت به مدرسه در جوپار' });
    await item.waitFor();
    expect(await item.locator('.method-partners li').count()).toBe(2);
    expect(await item.locator('.method-partners').textContent()).toContain('نصب روشنایی معابر');
    expect(await item.locator('.method-partners__progress').first().textContent()).toBe('۱۰۰٪');
    expect(await item.textContent()).toContain('۳٬۵۰۰٬۰۰۰٬۰۰۰ ریال');
    expect(await item.textContent()).toContain('۱ مهر ۱۴۰۵');
  });

  it('records a network of teenagers, which takes the neighbourhood to stage 3', async () => {
    await panel().locator('button[name="add-network"]').click();
    const form = panel().locator('form[name="network-create"]');
    await form.locator('select[name="kind"]').selectOption({ label: 'نوجوانان' });
    await form.locator('input[name="name"]').fill('نوجوانان امید جوپار');
    await form.locator('input[name="members"]').fill('21');
    await form.locator('input[name="since"]').fill('1405/07/09');
    await form.locator('button[type="submit"]').click();
    await panel().locator('.method-network', { hasText: 'نوجوانان امید جوپار' }).waitFor();
    await eventually(() => stageBadge().textContent()).toBe('توانمندسازی و شبکه‌ها');
    // No stage before the one the badge names reads as not started.
    expect(await panel().locator('.method-steps li').evaluateAll((items) => items.map((li) => li.getAttribute('data-state'))))
      .not.toContain('todo');
  });

  it('shows the work on the map: stage colour, problem counts with filters, the intervention symbol', async () => {
    await page.locator('.method-open').click();
    await page.locator('.method-segmented label', { hasText: 'مرحلهٔ کار' }).click();
    const state = () => page.evaluate((id) => window.__mahallenamaMap!.getFeatureState({ source: 'neighbourhoods', sourceLayer: 'neighbourhoods', id }), neighbourhoodId);
    await eventually(async () => (await state()).method_stage).toBe(3);

    await page.locator('.method-segmented label', { hasText: 'مسائل باز' }).click();
    await page.locator('select[name="filter-status"]').selectOption({ label: 'حل‌شده' });
    await eventually(async () => (await state()).method_problems).toBe(2);
    await page.locator('select[name="filter-category"]').selectOption({ label: 'آموزشی' });
    await eventually(async () => (await state()).method_problems).toBe(1);
    expect(new URL(page.url()).searchParams.get('cat')).toBe('educational');

    // The intervention's symbol, drawn from the interventions vector tiles: shown for its category,
    // hidden for another, and its status follows an edit (the tiles are fetched again).
    const api = await apiAs(server.url, planner.username, planner.password);
    const listed = await api.get<{ items: { id: number; title: string }[] }>(`/api/interventions?neighbourhood=${neighbourhoodId}`);
    const interventionId = listed.items.find((i) => i.title === 'روشنایی و بازگشت به مدرسه در جوپار')!.id;
    const drawn = () => page.evaluate((id) => window.__mahallenamaMap!
      .queryRenderedFeatures({ layers: ['method-interventions-symbol'] })
      .filter((f) => f.properties.id === id)
      .map((f) => String(f.properties.status)), interventionId);
    await page.locator('input[name="method-interventions"]').check();
    await page.locator('select[name="filter-category"]').selectOption({ label: 'عمرانی و محیطی' });
    await eventually(drawn).toEqual(['active']);
    await page.locator('select[name="filter-category"]').selectOption({ label: 'اجتماعی' });
    await eventually(drawn).toEqual([]);
    await page.locator('select[name="filter-category"]').selectOption({ label: 'عمرانی و محیطی' });
    await eventually(drawn).toEqual(['active']);

    const item = panel().locator('.method-item[data-intervention-id]', { hasText: 'روشنایی و بازگشت به مدرسه در جوپار' });
    await item.locator('button[name="edit-intervention"]').click();
    await item.locator('form[name="intervention-update"] select[name="status"]').selectOption({ label: 'انجام‌شده' });
    await item.locator('form[name="intervention-update"] button[type="submit"]').click();
    await eventually(drawn).toEqual(['done']);

    const csv = await page.locator('.method-exports a', { hasText: 'CSV' }).first().getAttribute('href');
    expect(csv).toContain('/api/problems.csv?category=civil_environmental&status=resolved');
  });

  it('adds a missing agency from the problem form, then deletes that problem entered by mistake', async () => {
    const mistake = 'مسئلهٔ تکراری (ثبت اشتباه)';
    const agency = `انجمن خیریهٔ محله ${Date.now() % 1000}`;
    await panel().locator('button[name="add-problem"]').click();
    const form = panel().locator('form[name="problem-create"]');
    await form.locator('select[name="category"]').selectOption({ label: 'اجتماعی' });
    await form.locator('input[name="title"]').fill(mistake);
    await form.locator('button[name="new-agency"]').click();
    await form.locator('input[name="agency_name_fa"]').fill(agency);
    await form.locator('input[name="agency_name_en"]').fill(`Neighbourhood charity ${Date.now() % 1000}`);
    // Enter adds the agency; it must not save the problem yet.
    await form.locator('input[name="agency_name_en"]').press('Enter');
    await eventually(async () => form.locator('select[name="agency"] option:checked').textContent()).toBe(agency);
    expect(await problem(mistake).count()).toBe(0);
    await form.locator('button[type="submit"]').click();
    await problem(mistake).waitFor();
    expect(await problem(mistake).locator('.method-agency').textContent()).toBe(agency);
    await problem(mistake).locator('.method-item__head').click();
    await problem(mistake).locator('button[name="remove-problems"]').click();
    expect(await problem(mistake).locator('.confirm__question').textContent()).toBe('حذف شود؟ در گزارش تغییرات می‌ماند.');
    await problem(mistake).locator('button[name="confirm-remove-problems"]').click();
    await eventually(() => problem(mistake).count()).toBe(0);
    expect(await panel().locator('.method-item[data-problem-id]').count()).toBe(2);
  });

  it('kept it all in the database, and made no request outside its origin', async () => {
    const api = await apiAs(server.url, planner.username, planner.password);
    const problems = await api.get<{ items: { title: string; status: string; agency_id: number }[] }>(`/api/problems?neighbourhood=${neighbourhoodId}`);
    expect(problems.items.map((p) => [p.title, p.status]).sort()).toEqual([[titles.dropout, 'resolved'], [titles.lighting, 'resolved']].sort());
    const stage = await api.get<{ stage: number; stage1: { reviewed_by: string } }>(`/api/stages/${neighbourhoodId}`);
    expect(stage).toMatchObject({ stage: 3, stage1: { reviewed_by: planner.username } });
    const interventions = await api.get<{ items: { title: string; problem_ids: number[]; budget: number; partners: unknown[] }[] }>(`/api/interventions?neighbourhood=${neighbourhoodId}`);
    const ours = interventions.items.find((i) => i.title === 'روشنایی و بازگشت به مدرسه در جوپار')!;
    expect(ours).toMatchObject({ budget: 3_500_000_000 });
    expect(ours.problem_ids).toHaveLength(2);
    expect(ours.partners).toHaveLength(2);

    const foreign = requests.filter((url) => !url.startsWith(`${server.url}/`) && !url.startsWith('data:') && !url.startsWith('blob:'));
    expect(foreign).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
