import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Debian's chromium, never a downloaded browser. Playwright gives each launch a fresh profile;
 * the flags keep the browser itself from calling home, so every request a test sees is the app's.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Fills the sign-in form the app shows to a visitor without a session. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form button[type="submit"]').click();
  await page.locator('.app-header').waitFor();
}

/**
 * Waits until the map has drawn neighbourhoods (and their labels, at zooms that show them) and is
 * standing still. The app exposes its MapLibre map as `window.__mahallenamaMap` for exactly this.
 */
export async function waitForMap(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const map = window.__mahallenamaMap;
      if (!map || !map.getLayer('neighbourhoods-label') || map.isMoving() || !map.loaded()) return false;
      const fills = map.queryRenderedFeatures({ layers: ['neighbourhoods-fill'] });
      const labels = map.queryRenderedFeatures({ layers: ['neighbourhoods-label'] });
      // Below the label layer's minzoom there are no labels to wait for.
      const labelsDue = map.getZoom() >= (map.getLayer('neighbourhoods-label')?.minzoom ?? 0);
      return fills.length > 0 && (labels.length > 0 || !labelsDue);
    },
    undefined,
    { timeout, polling: 250 },
  );
  // Let the label fade-in finish, so screenshots show them at full strength.
  await page.waitForTimeout(400);
}

/** A part of an image: pixels from the top left corner. */
export interface PixelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The RGBA bytes of a PNG (a screenshot) in `box`, or the whole image, decoded by the page's own
 * browser, so the tests need no image library: what a canvas reads is what chromium drew.
 */
export async function pngPixels(page: Page, png: Buffer, box?: PixelBox): Promise<{ width: number; height: number; data: Buffer }> {
  const decoded = await page.evaluate(async ([base64, area]) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(image, 0, 0);
    const { x, y, width, height } = area ?? { x: 0, y: 0, width: image.width, height: image.height };
    const bytes = ctx.getImageData(x, y, width, height).data;
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { width, height, base64: btoa(text) };
  }, [png.toString('base64'), box ?? null] as const);
  return { width: decoded.width, height: decoded.height, data: Buffer.from(decoded.base64, 'base64') };
}
