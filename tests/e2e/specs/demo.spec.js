// The demo practice: a separate database filled by the seeded generator,
// marked DEMO, left without a trace on the practitioner's data, remembered
// across reloads and followed by other tabs.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import { openApp, createAccount, watchForErrors } from './helpers.js';

const DATA_STORES = ['accounts', 'contacts', 'links', 'catalog', 'notes', 'history', 'photos'];

/** Every record of the data stores of a database, read straight from IndexedDB. */
async function dump(page, name) {
  return page.evaluate(({ name, stores }) => new Promise((resolve, reject) => {
    const open = indexedDB.open(name);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction(stores);
      const out = {};
      for (const s of stores) {
        const req = tx.objectStore(s).getAll();
        req.onsuccess = () => { out[s] = req.result; };
      }
      tx.oncomplete = () => { db.close(); resolve(out); };
      tx.onerror = () => reject(tx.error);
    };
  }), { name, stores: DATA_STORES });
}

/** Downloads Import & export → Export everything; the bundle without its time. */
async function exportEverything(page) {
  await page.getByRole('link', { name: 'Import & export' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export everything' }).click(),
  ]);
  const path = test.info().outputPath(`${Date.now()}-${download.suggestedFilename()}`);
  await download.saveAs(path);
  const bundle = JSON.parse(fs.readFileSync(path, 'utf8'));
  delete bundle.exported_at;
  return bundle;
}

const demoBar = (page) => page.getByRole('region', { name: 'Demo mode' });

/** "N of M accounts" of a Clients view, as N. */
async function shown(page, hash) {
  await page.goto(`./${hash}`);
  const status = page.locator('.list-count');
  await expect(status).toHaveText(/^\d+ of \d+ accounts?$/);
  return Number((await status.textContent()).split(' ')[0]);
}

/** Contact names on an account's Info tab. */
async function contactNames(page) {
  const section = page.locator('section[aria-labelledby="contacts-heading"]');
  await expect(section).toBeVisible();
  return section.locator('a[href^="#/contacts/"]').allTextContents();
}

test('load the demo practice, find shared contacts, leave it: the real data is untouched', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await createAccount(page, { name: 'Real Client', first: 'Rita', last: 'Real', email: 'rita@real.example' });
  await expect(page.getByRole('heading', { level: 1, name: 'Real Client' })).toBeVisible();
  const before = await dump(page, 'clientbook');
  const exportedBefore = await exportEverything(page);
  expect(exportedBefore.accounts.map((a) => a.name)).toEqual(['Real Client']);

  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Load demo practice' }).click();
  await expect(demoBar(page)).toBeVisible();
  await expect(demoBar(page)).toContainText('DEMO');
  await expect(page.getByTestId('demo-badge')).toHaveText('DEMO');
  const demo = await dump(page, 'clientbook-demo');
  expect([demo.accounts.length, demo.contacts.length]).toEqual([30, 50]);
  expect(new Set(demo.accounts.map((a) => a.type))).toEqual(new Set(['Individual', 'Company', 'Other']));

  // 30 accounts: the active ones and the archived ones.
  const active = await shown(page, '#/clients');
  const archived = await shown(page, '#/clients/archived');
  expect(archived).toBeGreaterThan(0);
  expect(active + archived).toBe(30);
  await expect(page.getByText('Real Client')).toHaveCount(0);

  // A firm shares its owner with the owner's personal account.
  await page.goto('./#/clients');
  await page.getByLabel('Filter by type').selectOption('company');
  await page.getByRole('table', { name: 'Accounts' }).locator('.vbody [role="row"] .c-name a').first().click();
  await page.getByRole('link', { name: 'Info', exact: true }).click();
  const firm = await contactNames(page);
  const linked = page.locator('section[aria-labelledby="linked-heading"] a');
  await expect(linked.first()).toBeVisible();
  await linked.first().click();
  await page.getByRole('link', { name: 'Info', exact: true }).click();
  const other = await contactNames(page);
  const shared = firm.filter((n) => other.includes(n));
  expect(shared.length).toBeGreaterThan(0);
  await page.locator('section[aria-labelledby="contacts-heading"]').getByRole('link', { name: shared[0], exact: true }).first().click();
  const accounts = page.locator('section[aria-labelledby="contact-accounts"] .contact-card');
  await expect(accounts.nth(1)).toBeVisible();

  // A change in the demo stays in the demo.
  await createAccount(page, { name: 'Demo Only', first: 'Dora', last: 'Demo', email: 'dora@demo.example' });
  await expect(page.getByRole('heading', { level: 1, name: 'Demo Only' })).toBeVisible();

  // The mode survives a reload.
  await page.reload();
  await expect(demoBar(page)).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Demo Only' })).toBeVisible();

  // The real database was never touched.
  expect(await dump(page, 'clientbook')).toEqual(before);

  await demoBar(page).getByRole('button', { name: 'Leave demo' }).click();
  await expect(demoBar(page)).toHaveCount(0);
  await expect(page.getByTestId('demo-badge')).toHaveCount(0);
  await page.goto('./#/clients');
  await expect(page.getByText('1 of 1 account')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Real Client' })).toBeVisible();
  expect(await dump(page, 'clientbook')).toEqual(before);
  expect(await exportEverything(page)).toEqual(exportedBefore);

  // Left for good: a reload stays on the real data.
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(demoBar(page)).toHaveCount(0);
  errors.assertNone();
});

test('reset demo brings the demo back; other tabs follow into and out of the demo', async ({ page, context }) => {
  const errors = watchForErrors(page);
  await openApp(page, '#/settings');
  await page.getByRole('button', { name: 'Load demo practice' }).click();
  await expect(demoBar(page)).toBeVisible();
  await page.goto('./#/clients');
  const total = page.locator('.list-count');
  await expect(total).toHaveText(/^\d+ of \d+ accounts$/);
  const shownBefore = await total.textContent();

  // A second tab opens in the demo too, and hears the demo's changes.
  const other = await context.newPage();
  await openApp(other);
  await expect(demoBar(other)).toBeVisible();
  await expect(other.locator('.list-count')).toHaveText(shownBefore);

  await createAccount(page, { name: 'Extra Demo', first: 'Ed', last: 'Extra', email: 'ed@extra.example' });
  await expect(page.getByRole('heading', { level: 1, name: 'Extra Demo' })).toBeVisible();
  await expect(other.locator('.list-count')).not.toHaveText(shownBefore);

  await demoBar(page).getByRole('button', { name: 'Reset demo' }).click();
  await page.goto('./#/clients');
  await expect(total).toHaveText(shownBefore);
  await expect(page.getByRole('link', { name: 'Extra Demo' })).toHaveCount(0);
  await expect(other.locator('.list-count')).toHaveText(shownBefore);

  // Leaving in one tab takes the other back to the real data (empty here).
  await demoBar(page).getByRole('button', { name: 'Leave demo' }).click();
  await expect(demoBar(other)).toHaveCount(0);
  await expect(other.getByText('No client accounts yet.')).toBeVisible();
  await expect(page.getByText('No client accounts yet.')).toBeVisible();
  expect((await dump(page, 'clientbook')).accounts).toEqual([]);
  errors.assertNone();
});
