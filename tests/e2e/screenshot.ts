/**
 * Takes a screenshot of the running app:
 *
 *   npx tsx tests/e2e/screenshot.ts <url> <out.png> [WIDTHxHEIGHT] [DEVICE_SCALE]
 *
 * e.g. `npx tsx tests/e2e/screenshot.ts 'http://127.0.0.1:8080/#n=12' shot.png 1366x800 2`
 * (a scale of 2 for a close look at the label shaping).
 * When the app asks for a sign-in it uses MAHALLENAMA_USERNAME (default admin) and
 * MAHALLENAMA_PASSWORD (default: the password tests/e2e/server.ts gives its admin).
 * Every request that leaves the app's origin is listed, since the map must work offline.
 */
import { launchBrowser, signIn, waitForMap } from './browser.js';
import { E2E_ADMIN } from './e2e-admin.js';

const [url, out, size = '1366x800', scale = '1'] = process.argv.slice(2);
if (!url || !out) {
  console.error('usage: npx tsx tests/e2e/screenshot.ts <url> <out.png> [WIDTHxHEIGHT] [DEVICE_SCALE]');
  process.exit(2);
}
const [width, height] = size.split('x').map(Number) as [number, number];

const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: Number(scale) });
  const origin = new URL(url).origin;
  const foreign: string[] = [];
  page.context().on('request', (request) => {
    const u = request.url();
    if (!u.startsWith(`${origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:')) foreign.push(u);
  });
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));

  await page.goto(url);
  const form = page.locator('input[name="password"]');
  await page.locator('input[name="password"], .app-header').first().waitFor();
  if (await form.isVisible()) {
    await signIn(
      page,
      process.env.MAHALLENAMA_USERNAME ?? E2E_ADMIN.username,
      process.env.MAHALLENAMA_PASSWORD ?? E2E_ADMIN.password,
    );
  }
  await waitForMap(page);
  await page.screenshot({ path: out });
  console.log(`wrote ${out} (${width}x${height}) of ${page.url()}`);
  if (foreign.length) console.error(`requests outside ${origin}:\n  ${foreign.join('\n  ')}`);
} finally {
  await browser.close();
}
