import { test, expect } from '@playwright/test';
import { openApp } from './helpers.js';

const longest = (page) => page.evaluate(() => { const m = Math.max(0, ...window.__lt); window.__lt = []; return m; });
async function watch(page) {
  await page.evaluate(() => {
    window.__lt = [];
    new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__lt.push(Math.round(e.duration)))).observe({ type: 'longtask', buffered: false });
  });
}
async function openData(page) {
  await page.getByRole('link', { name: 'Import & export' }).click();
  await expect(page.getByRole('heading', { name: 'Import & export', level: 1 })).toBeVisible();
}

test('measure csv', async ({ page }) => {
  test.setTimeout(600_000);
  await openApp(page);
  await openData(page);
  const lines = ['Account name,Account type,First name,Last name,Email,Phone,Tags'];
  for (let a = 0; a < 10_000; a++) for (const who of ['A', 'B']) lines.push(`Account ${a},Individual,${who}${a},Person,${who.toLowerCase()}${a}@example.com,+40 21 ${a},"Clients, Batch ${a % 10}"`);
  await watch(page);
  let t = Date.now();
  await page.getByLabel('CSV file (.csv)').setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
  await expect(page.getByText('20,000 rows · UTF-8 · separated by commas')).toBeVisible({ timeout: 60_000 });
  console.log(`CSV read+map ${Date.now() - t} ms, longest task ${await longest(page)} ms`);
  t = Date.now();
  await page.getByRole('button', { name: 'Check and preview' }).click();
  const card = page.locator('section', { has: page.getByRole('heading', { name: 'Import a CSV file' }) });
  await expect(card.getByRole('row', { name: /^Contacts/ }).getByRole('cell').first()).toHaveText('20,000', { timeout: 60_000 });
  console.log(`CSV check ${Date.now() - t} ms, longest task ${await longest(page)} ms`);
});

test('measure vcard', async ({ page }) => {
  test.setTimeout(600_000);
  await openApp(page);
  await openData(page);
  for (const n of [5000, 20000]) {
    const cards = [];
    for (let i = 0; i < n; i++) cards.push(['BEGIN:VCARD', 'VERSION:3.0', `N:Nume${i};Prenume;;;`, `FN:Prenume Nume${i}`, `EMAIL;TYPE=INTERNET:p${n}x${i}@example.com`, `TEL;TYPE=CELL:+40 7${String(i).padStart(8, '0')}`, 'END:VCARD'].join('\r\n'));
    await watch(page);
    const t = Date.now();
    await page.getByLabel('vCard file (.vcf)').setInputFiles({ name: `v${n}.vcf`, mimeType: 'text/vcard', buffer: Buffer.from(cards.join('\r\n') + '\r\n') });
    await expect(page.getByText(`${n.toLocaleString('en-US')} cards read.`)).toBeVisible({ timeout: 120_000 });
    await expect(page.getByRole('row', { name: /^Contacts/ }).getByRole('cell').first()).toHaveText(n.toLocaleString('en-US'), { timeout: 120_000 });
    console.log(`vCard ${n}: read+check ${Date.now() - t} ms, longest task ${await longest(page)} ms`);
  }
});
