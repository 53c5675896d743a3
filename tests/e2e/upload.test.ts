import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, signIn, waitForMap } from './browser.js';
import { E2E_ADMIN } from './e2e-admin.js';
import { startServer, type RunningServer } from './server.js';
import { makeBoundaryFixtures } from '../fixtures/boundaries/make-fixtures.js';

// A GIS user uploads a shapefile through the wizard, in chromium: the zipped UTM 40N
// shapefile with Windows-1256 attributes made by tests/fixtures/boundaries/make-fixtures.ts
// (`npx tsx tests/fixtures/boundaries/make-fixtures.ts /tmp/boundary-fixtures` writes it out).
// The built client (npm run test:e2e builds it first) on a fresh embedded database.

const GIS = { username: 'gis-e2e', password: 'gis-e2e-password' };

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const requests: string[] = [];
const pageErrors: string[] = [];
/** Every browser dialog (confirm, alert) the page opened: the wizard asks in the page, so none. */
const dialogs: string[] = [];

async function createGisUser(): Promise<void> {
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: E2E_ADMIN.username, password: E2E_ADMIN.password }),
  });
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const created = await fetch(`${server.url}/api/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, origin: server.url },
    body: JSON.stringify({ ...GIS, role: 'gis' }),
  });
  if (created.status !== 201) throw new Error(`creating the GIS user failed: ${created.status} ${await created.text()}`);
}

beforeAll(async () => {
  server = await startServer();
  await createGisUser();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.on('request', (request) => requests.push(request.url()));
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
}, 900_000); // a first start of the embedded database on a busy machine takes minutes

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function chooseFile(name: string, buffer: Buffer): Promise<void> {
  await page.locator('.upload-form input[type="file"]').setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
  await page.locator('.upload-form button[type="submit"]').click();
}

const square = (lon: number, lat: number) =>
  ({ type: 'Polygon', coordinates: [[[lon, lat], [lon + 0.004, lat], [lon + 0.004, lat + 0.004], [lon, lat + 0.004], [lon, lat]]] });

function geojson(features: ({ geometry: object } & Record<string, unknown>)[]): Buffer {
  return Buffer.from(JSON.stringify({
    type: 'FeatureCollection',
    features: features.map(({ geometry, ...properties }) => ({ type: 'Feature', properties, geometry })),
  }));
}

/** A screenshot of the wizard, to look at, when SCREENSHOT_DIR is set. */
async function shoot(name: string): Promise<void> {
  const dir = process.env.SCREENSHOT_DIR;
  if (dir) await page.screenshot({ path: `${dir}/${name}` });
}

describe('the boundary upload wizard', () => {
  it('is offered to GIS staff after signing in on the login page', async () => {
    await page.goto(`${server.url}/`);
    await signIn(page, GIS.username, GIS.password);
    await waitForMap(page);
    await page.locator('.upload-open').click();
    expect(await page.locator('#upload-wizard-title').textContent()).toBe('مرزهای محلات و شهرستان‌ها');
  });

  it('reads a shapefile and shows its fields, the guessed mapping, the report and the diff on the map', async () => {
    const fixtures = await makeBoundaryFixtures();
    await page.locator('.upload-form input[type="file"]').setInputFiles({
      name: 'mahalleh-utm40n-cp1256.zip',
      mimeType: 'application/zip',
      buffer: fixtures['mahalleh-utm40n-cp1256.zip']!,
    });
    await page.locator('.upload-form button[type="submit"]').click();
    await page.locator('.upload-preview').waitFor();

    expect(await page.locator('.upload-preview__file').textContent()).toContain('EPSG:32640');
    expect(await page.locator('select[name="mapping-code"]').inputValue()).toBe('code');
    expect(await page.locator('select[name="mapping-name_fa"]').inputValue()).toBe('نام_محله');
    expect(await page.locator('select[name="mapping-population"]').inputValue()).toBe('جمعیت');
    expect(await page.locator('.upload-diff li[data-change="added"] strong').textContent()).toBe('۳');
    expect(await page.locator('.upload-report__accepted').textContent()).toBe('۳ از ۳ عارضه پذیرفته شد');

    // The preview is drawn in the colour of its change, where the map has moved to show it.
    const drawn = await page.waitForFunction(() => {
      const map = window.__mahallenamaMap!;
      if (map.isMoving()) return null;
      const features = map.queryRenderedFeatures({ layers: ['upload-preview-fill'] });
      const codes = [...new Set(features.map((f) => `${f.properties.code}:${f.properties.change}`))].sort();
      return codes.length === 3 ? codes : null;
    }, undefined, { timeout: 30_000, polling: 250 });
    expect(await drawn.jsonValue()).toEqual(['K-001:added', 'K-002:added', 'K-003:added']);
    // … beside the wizard, not under it: the map was fitted with the panels measured.
    const [preview, wizard] = await page.evaluate(`(() => {
      const map = window.__mahallenamaMap;
      const box = map.getContainer().getBoundingClientRect();
      const xs = [];
      const ys = [];
      for (const feature of map.queryRenderedFeatures({ layers: ['upload-preview-fill'] })) {
        const stack = [feature.geometry.coordinates];
        while (stack.length) {
          const value = stack.pop();
          if (typeof value[0] !== 'number') stack.push(...value);
          else { const p = map.project(value); xs.push(p.x + box.left); ys.push(p.y + box.top); }
        }
      }
      const w = document.querySelector('.upload-wizard').getBoundingClientRect();
      return [{ left: Math.min(...xs), right: Math.max(...xs), top: Math.min(...ys), bottom: Math.max(...ys) }, { left: w.left, right: w.right }];
    })()`) as [{ left: number; right: number; top: number; bottom: number }, { left: number; right: number }];
    expect(preview.left >= wizard.right || preview.right <= wizard.left, JSON.stringify({ preview, wizard })).toBe(true);
  });

  it('reads the file again with a corrected mapping', async () => {
    await page.locator('select[name="mapping-population"]').selectOption('');
    await page.locator('.upload-mapping button').click();
    // Without a population field, the new neighbourhoods get the default, and the report says so.
    await page.locator('.upload-report', { hasText: 'جمعیت: ۰' }).waitFor();
    expect(await page.locator('select[name="mapping-population"]').inputValue()).toBe('');
    expect(await page.locator('select[name="mapping-code"]').inputValue()).toBe('code');
  });

  it('commits, and the map and the API show the new neighbourhoods', async () => {
    // The fixture's neighbourhoods overlap seeded ones: the commit waits for the uploader to
    // accept the overlaps, named by number in the wizard's own confirmation.
    const commitButton = page.locator('.upload-actions .upload-button--primary');
    expect(await page.locator('.upload-confirm li').first().textContent()).toMatch(/^[۰-۹]+ هم‌پوشانی$/);
    expect(await commitButton.isDisabled()).toBe(true);
    await page.locator('.upload-confirm input[type="checkbox"]').check();
    await commitButton.click();
    await page.locator('.upload-done .upload-message--ok').waitFor();
    expect(await page.locator('.upload-done .upload-message--ok').textContent()).toBe('ثبت شد: نسخهٔ ۲');

    const names = await page.evaluate(async () => {
      const res = await fetch('/api/neighbourhoods?q=K-00');
      // ?q= matches loosely since the forgiving search (issue 15.1): keep the K-00x codes.
      const body = (await res.json()) as { features: { properties: { code: string; name_fa: string } }[] };
      return body.features.filter((f) => f.properties.code.startsWith('K-00')).map((f) => f.properties.name_fa).sort();
    });
    expect(names).toEqual(['سرآسیاب', 'شهرک الله‌آباد', 'کوی گلباغ و پژوهش'].sort());

    // The base map's tiles were fetched again and now draw them.
    const onMap = await page.waitForFunction(() => {
      const map = window.__mahallenamaMap!;
      const codes = map.queryRenderedFeatures({ layers: ['neighbourhoods-fill'] }).map((f) => String(f.properties.code));
      return codes.filter((c) => c.startsWith('K-00')).length >= 3 ? true : null;
    }, undefined, { timeout: 30_000, polling: 250 });
    expect(await onMap.jsonValue()).toBe(true);
  });

  it('lists the versions, in the Solar Hijri calendar, with restore', async () => {
    await page.locator('.upload-tab', { hasText: 'تاریخچه' }).click();
    const items = page.locator('.boundary-history__item');
    await items.nth(1).waitFor();
    expect(await items.count()).toBe(2);
    expect(await items.nth(0).locator('strong').textContent()).toBe('نسخهٔ ۲');
    expect(await items.nth(0).locator('.boundary-history__current').count()).toBe(1);
    expect(await items.nth(0).locator('time').textContent()).toMatch(/۱۴۰۵/);
    expect(await items.nth(1).locator('button').textContent()).toBe('بازگرداندن');
  });

  it('words a refusal in Persian, from its reason code', async () => {
    await page.locator('.upload-tab', { hasText: 'بارگذاری فایل' }).click();
    await page.locator('.upload-done button').click();
    await chooseFile('notes.txt', Buffer.from('not boundaries'));
    const alert = page.locator('.upload-message--error');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('«notes.txt» در قالبی نیست که این نقشه می‌خواند.');
    expect(await alert.textContent()).not.toMatch(/is not a format|Upload one of/);
  });

  it('opens the report on the reasons, in Persian, when nothing is accepted', async () => {
    // Three features whose fields map to nothing: no code, so none can be used.
    await chooseFile('bi-kod.geojson', geojson([
      { shenase: 'A-1', onvan: 'یک', geometry: square(57.25, 29.95) },
      { shenase: 'A-2', onvan: 'دو', geometry: square(57.26, 29.95) },
      { shenase: 'A-3', onvan: 'سه', geometry: square(57.27, 29.95) },
    ]));
    await page.locator('.upload-preview').waitFor();
    const none = page.locator('.upload-report__none');
    await none.waitFor();
    expect(await none.textContent()).toContain('هیچ‌یک از ۳ عارضه پذیرفته نشد. دلیل‌ها:');
    expect(await none.textContent()).toContain('۳ × بدون کد: هیچ فیلدی به «کد» نسبت داده نشده است؛ در تطبیق فیلدها آن را انتخاب کنید.');
    // The report comes before the (empty) diff, and its list of rejections is open.
    expect(await page.locator('.upload-preview > section.upload-report + section.upload-diff').count()).toBe(1);
    expect(await page.locator('.upload-report__section', { hasText: 'عارضه‌های ردشده' }).getAttribute('open')).not.toBeNull();
    expect(await page.locator('.upload-report').textContent()).not.toMatch(/no field|mapped|county has/);
    await shoot('upload-report-nothing-accepted.png');
    await page.locator('.upload-actions button', { hasText: 'کنار گذاشتن' }).click();
    await page.locator('.upload-done button').click();
  });

  it('asks for a confirmation naming the features outside the service area and the counties matched by spelling', async () => {
    await chooseFile('tasdiq.geojson', geojson([
      { code: 'T-1', name_fa: 'محله ارزوییه', county: 'ارزوییه', geometry: square(56.45, 28.55) },
      { code: 'T-2', name_fa: 'محله کرمان', county: 'کرمان', geometry: square(57.25, 29.95) },
      { code: 'T-3', name_fa: 'محله تهران', county: 'کرمان', geometry: square(51.4, 35.7) },
    ]));
    const confirmBox = page.locator('.upload-confirm');
    await confirmBox.waitFor();
    expect(await page.locator('.upload-report__spelling').textContent()).toBe('«ارزوییه» ← ارزوئیه (یافته با املای نزدیک)');
    expect(await confirmBox.locator('li').allTextContents()).toEqual([
      '۱ عارضهٔ بیرون از محدودهٔ خدمت', '۱ شهرستان یافته با املای نزدیک',
    ]);
    const commitButton = page.locator('.upload-actions .upload-button--primary');
    expect(await commitButton.isDisabled()).toBe(true);
    await confirmBox.locator('input[type="checkbox"]').check();
    await shoot('upload-report-confirmation.png');
    expect(await commitButton.isDisabled()).toBe(false);
    await commitButton.click();
    await page.locator('.upload-done .upload-message--ok').waitFor();
    expect(await page.locator('.upload-done .upload-message--ok').textContent()).toBe('ثبت شد: نسخهٔ ۳');
    // The neighbourhood whose county was matched by spelling is there (the API tests check
    // its county and the audit entry).
    const found = await page.evaluate(async () => {
      const res = await fetch('/api/neighbourhoods?q=T-1');
      const body = (await res.json()) as { features: { properties: { code: string } }[] };
      return body.features.map((f) => f.properties.code);
    });
    expect(found).toEqual(['T-1']);
  });

  it('asks in the page before a replacing commit removes boundaries; no keeps the layer, yes commits', async () => {
    /** The layer as the API has it: its current version and its codes. */
    const layer = () => page.evaluate(async () => {
      const versions = (await (await fetch('/api/boundaries/versions?layer=neighbourhoods')).json()) as { current: number };
      const all = (await (await fetch('/api/neighbourhoods')).json()) as { features: { properties: { code: string } }[] };
      return { current: versions.current, codes: all.features.map((f) => f.properties.code).sort() };
    });
    const before = await layer();
    expect(before.current).toBe(3);

    // The whole layer is to be this one neighbourhood: every other one not pointed at by other
    // records goes (as in tests/api/boundaries-report.test.ts).
    await page.locator('.upload-done button').click();
    await page.locator('.upload-form input[name="mode"][value="replace"]').check();
    await chooseFile('faqat-yek.geojson', geojson([{ code: 'K-001', name_fa: 'شهرک الله‌آباد', geometry: square(57.25, 29.95) }]));
    await page.locator('.upload-preview').waitFor();
    const removedText = (await page.locator('.upload-diff li[data-change="removed"] strong').textContent())!;
    const removed = Number(removedText.replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d))).replace(/\D/g, ''));
    expect(removed).toBeGreaterThan(0);
    if (await page.locator('.upload-confirm').count()) await page.locator('.upload-confirm input[type="checkbox"]').check();

    const commitButton = page.locator('.upload-actions .upload-button--primary');
    const question = page.locator('.upload-actions .confirm');
    await commitButton.click();
    await question.waitFor();
    expect(await question.getAttribute('role')).toBe('alertdialog');
    expect(await question.locator('.confirm__question').textContent()).toBe(`${removedText} مرز حذف می‌شود. ادامه می‌دهید؟`);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('confirm-commit');
    await page.screenshot({ path: 'tests/e2e/.output/upload-replace-question.png' });

    // No, by its button and by Esc: nothing is committed, and the wizard stays open on the preview.
    await question.locator('button[name="cancel-commit"]').click();
    await question.waitFor({ state: 'detached' });
    await commitButton.click();
    await question.waitFor();
    await page.keyboard.press('Escape');
    await question.waitFor({ state: 'detached' });
    expect(await page.locator('.upload-wizard .upload-preview').count()).toBe(1);
    expect(await layer()).toEqual(before);

    // Yes, from the keyboard: focus is on it, Enter answers.
    await commitButton.click();
    await question.waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.upload-done .upload-message--ok').waitFor();
    expect(await page.locator('.upload-done .upload-message--ok').textContent()).toBe('ثبت شد: نسخهٔ ۴');
    const after = await layer();
    expect(after.current).toBe(4);
    expect(after.codes).toContain('K-001');
    expect(before.codes.length - after.codes.length).toBe(removed);
  });

  it('made no request outside its own origin, opened no browser dialog and threw no error', () => {
    expect(dialogs).toEqual([]);
    const origin = new URL(server.url).origin;
    expect(requests.filter((url) => !url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:'))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
