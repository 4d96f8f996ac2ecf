// Renders the PNG icons of the web app manifest from assets/icon.svg with
// the Chromium the e2e tests use (nothing is downloaded). Run it after
// changing the icon:  node scripts/make-icons.mjs
// The PNGs are committed; the build only copies them.
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../tests/e2e/package.json', import.meta.url));
const { chromium } = require('@playwright/test');
const svg = await readFile(new URL('../assets/icon.svg', import.meta.url), 'utf8');
const inner = svg.replace(/^<svg[^>]*>/, '').replace(/<\/svg>\s*$/, '');
// Maskable: the background fills the square and the page sits in the
// middle 80% (the "safe zone"), as launchers crop to a circle or squircle.
const maskable = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="#1f2a44"/><g transform="translate(6.4 6.4) scale(0.8)">${inner.replace(/<rect width="64" height="64"[^>]*\/>/, '')}</g></svg>`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
for (const [name, source, size] of [
  ['icon-192.png', svg, 192],
  ['icon-512.png', svg, 512],
  ['icon-maskable-512.png', maskable, 512],
]) {
  await page.setViewportSize({ width: size, height: size });
  const sized = source.replace('<svg ', `<svg width="${size}" height="${size}" `);
  await page.setContent(`<html><body style="margin:0;background:transparent">${sized}</body></html>`);
  const png = await page.locator('svg').screenshot({ omitBackground: true });
  await writeFile(new URL(`../assets/${name}`, import.meta.url), png);
  console.log(`assets/${name}`);
}
await browser.close();
