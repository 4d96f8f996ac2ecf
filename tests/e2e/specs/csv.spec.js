// CSV files: a Google Contacts export imported through the mapping screen,
// a file with one bad row refused with its row and column (nothing
// written), undo of a CSV import, and Export CSV of the Clients list with
// formula cells made harmless (and read back into a fresh profile).
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openApp, createAccount, watchForErrors } from './helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const GOOGLE = path.join(here, '../../../src/bundle/csv/samples/google.csv');

function file(name, text) {
  return { name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') };
}

/** How many records a store holds, read straight from IndexedDB. */
async function count(page, store) {
  return page.evaluate((store) => new Promise((resolve, reject) => {
    const open = indexedDB.open('clientbook');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const req = db.transaction(store).objectStore(store).count();
      req.onsuccess = () => { db.close(); resolve(req.result); };
      req.onerror = () => reject(req.error);
    };
  }), store);
}

async function openData(page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import & export' }).click();
  await expect(page.getByRole('heading', { name: 'Import & export', level: 1 })).toBeVisible();
}

async function openClients(page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
  await expect(page.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible();
}

/** The number in the first column (Created) of a row of the plan table. */
function created(scope, what) {
  return scope.getByRole('row', { name: new RegExp(`^${what}`) }).getByRole('cell').first();
}

const csvCard = (page) => page.locator('section', { has: page.getByRole('heading', { name: 'Import a CSV file' }) });

test('a Google Contacts file imports through the mapping screen', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await openData(page);
  await page.getByLabel('CSV file (.csv)').setInputFiles(GOOGLE);
  await expect(page.getByRole('heading', { name: 'Match the columns of google.csv' })).toBeVisible();
  await expect(page.getByText('5 rows · UTF-8 · separated by commas')).toBeVisible();
  // The guesses from the headers.
  await expect(page.getByLabel('Import column E-mail 1 - Value as')).toHaveValue('email');
  await expect(page.getByLabel('Import column E-mail 2 - Value as')).toHaveValue('other_emails');
  await expect(page.getByLabel('Import column First Name as')).toHaveValue('first_name');
  await expect(page.getByLabel('Import column Labels as')).toHaveValue('account_tags');
  await expect(page.getByLabel('Import column Phonetic First Name as')).toHaveValue('skip');
  await expect(page.getByLabel('Import column Notes as')).toHaveValue('note');
  // The practitioner changes one: the notes stay behind.
  await page.getByLabel('Import column Notes as').selectOption({ label: "Don't import" });
  // The first rows, as they would be imported.
  const preview = page.locator('table.csv-preview');
  const first = preview.getByRole('row').nth(1);
  await expect(first.getByRole('cell').nth(0)).toHaveText('2');
  await expect(first.getByRole('cell').nth(1)).toHaveText('Ana Ștefănescu');
  await expect(first.getByRole('cell').nth(4)).toHaveText('ana.stefanescu@example.ro');
  await expect(first.getByRole('cell').nth(6)).toHaveText('Clients');
  // Settings for the whole import.
  await page.getByLabel(/^Tags for every imported account/).fill('Imported');
  await page.getByLabel(/^Tags for every imported account/).press('Tab');
  await expect(first.getByRole('cell').nth(6)).toHaveText('Clients, Imported');
  await page.getByLabel('Login: portal access for the imported emails').check();

  await page.getByRole('button', { name: 'Check and preview' }).click();
  const card = csvCard(page);
  await expect(created(card, 'Accounts')).toHaveText('5');
  await expect(created(card, 'Contacts')).toHaveText('5');
  await expect(card.getByText('New tags: Imported, Clients, VIP')).toBeVisible();
  await expect(card.getByText(/Birthdays without a year are not imported \(row 4\)/)).toBeVisible();
  await card.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'CSV import finished.' })).toBeVisible();
  expect(await count(page, 'accounts')).toBe(5);
  expect(await count(page, 'contacts')).toBe(5);
  expect(await count(page, 'notes')).toBe(0);

  await openClients(page);
  await expect(page.getByRole('link', { name: 'Ana Ștefănescu' })).toBeVisible();
  await page.getByLabel('Filter by tag').selectOption({ label: 'VIP' });
  await expect(page.getByRole('link', { name: 'Jan Vries' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Kate Smith' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Jan Vries' }).click();
  await page.getByRole('navigation', { name: 'Account sections' }).getByRole('link', { name: 'Info' }).click();
  await expect(page.getByText('jan@devries.example.nl').first()).toBeVisible();

  // The same file again changes nothing.
  await openData(page);
  await page.getByLabel('CSV file (.csv)').setInputFiles(GOOGLE);
  await page.getByLabel('Import column Notes as').selectOption({ label: "Don't import" });
  await page.getByLabel(/^Tags for every imported account/).fill('Imported');
  await page.getByLabel(/^Tags for every imported account/).press('Tab');
  await page.getByLabel('Login: portal access for the imported emails').check();
  await page.getByRole('button', { name: 'Check and preview' }).click();
  await expect(page.getByText('Everything in this file is already here: importing it changes nothing.')).toBeVisible();
  errors.assertNone();
});

test('a file with a bad row is refused with its row and column and writes nothing', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await openData(page);
  const lines = ['Kontoname;Vorname;Nachname;E-Mail;Telefon'];
  for (let i = 2; i <= 300; i++) {
    const email = i === 118 ? 'mueller(at)example.de' : `person${i}@example.de`;
    lines.push(`Konto ${i};Vorname${i};Müller;${email};+49 30 ${i}`);
  }
  await page.getByLabel('CSV file (.csv)').setInputFiles(file('kunden.csv', lines.join('\r\n')));
  await expect(page.getByText('299 rows · UTF-8 · separated by semicolons')).toBeVisible();
  await expect(page.getByLabel('Import column E-Mail as')).toHaveValue('email');
  await page.getByRole('button', { name: 'Check and preview' }).click();
  const alert = csvCard(page).getByRole('alert');
  await expect(alert).toContainText('The file has 1 problem; nothing was imported.');
  await expect(alert).toContainText('row 118, column "E-Mail": not an email address');
  await expect(csvCard(page).getByRole('button', { name: 'Import', exact: true })).toHaveCount(0);
  expect(await count(page, 'accounts')).toBe(0);
  expect(await count(page, 'contacts')).toBe(0);

  // A file that is not a CSV at all is refused whole.
  await page.getByLabel('CSV file (.csv)').setInputFiles({ name: 'book.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from('PK\x03\x04rest') });
  await expect(csvCard(page).getByRole('alert')).toContainText('This looks like an Excel workbook');
  errors.assertNone();
});

test('a CSV import can be undone', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await createAccount(page, { name: 'Smith Family', first: 'Kate', last: 'Smith', email: 'kate@example.com' });
  await expect(page.getByRole('heading', { level: 1, name: 'Smith Family' })).toBeVisible();
  await openData(page);
  const catalogBefore = await count(page, 'catalog');
  const text = 'Account name,First name,Last name,Email,Tags\n'
    + 'Smith Family,John,Smith,john@example.com,Family\n'
    + 'Pop SRL,Ana,Pop,ana@example.ro,Company\n';
  await page.getByLabel('CSV file (.csv)').setInputFiles(file('more.csv', text));
  await page.getByRole('button', { name: 'Check and preview' }).click();
  const card = csvCard(page);
  await expect(created(card, 'Accounts')).toHaveText('1');
  await expect(card.getByRole('row', { name: /^Accounts/ }).getByRole('cell').nth(1)).toHaveText('1');
  await card.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'CSV import finished.' })).toBeVisible();
  expect(await count(page, 'accounts')).toBe(2);
  expect(await count(page, 'contacts')).toBe(3);
  expect(await count(page, 'links')).toBe(3);

  await page.getByRole('button', { name: 'Undo last import' }).click();
  await expect(page.getByText('The last import was undone.')).toBeVisible();
  expect(await count(page, 'accounts')).toBe(1);
  expect(await count(page, 'contacts')).toBe(1);
  expect(await count(page, 'links')).toBe(1);
  expect(await count(page, 'catalog')).toBe(catalogBefore);
  await openClients(page);
  await page.getByRole('link', { name: 'Smith Family' }).click();
  await page.getByRole('navigation', { name: 'Account sections' }).getByRole('link', { name: 'Info' }).click();
  await expect(page.getByText('John Smith')).toHaveCount(0);
  errors.assertNone();
});

test('Export CSV writes the filtered list with formulas made harmless, and it imports back', async ({ page, browser }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await createAccount(page, { name: '=1+2 Family', first: 'Eve', last: 'Ștefan', email: 'eve@example.ro' });
  await expect(page.getByRole('heading', { level: 1, name: '=1+2 Family' })).toBeVisible();
  await createAccount(page, { name: 'Other Ltd', first: 'Bob', last: 'Other', email: 'bob@example.com' });
  await expect(page.getByRole('heading', { level: 1, name: 'Other Ltd' })).toBeVisible();
  await openClients(page);
  await page.getByLabel('Filter by name').fill('family');
  await expect(page.getByRole('link', { name: 'Other Ltd' })).toHaveCount(0);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^clientbook-accounts-\d{4}-\d{2}-\d{2}\.csv$/);
  const saved = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(saved);
  const bytes = fs.readFileSync(saved);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.toString('utf8').slice(1);
  const [header, ...rows] = text.split('\r\n').filter((l) => l !== '');
  expect(header.startsWith('Account name,Account type,Company name,')).toBe(true);
  expect(rows).toHaveLength(1);
  expect(rows[0].startsWith("'=1+2 Family,Individual,")).toBe(true);
  expect(rows[0]).toContain(',Eve,,Ștefan,eve@example.ro,');
  await expect(page.getByText(/^Downloaded clientbook-accounts-.*: 1 account\.$/)).toBeVisible();

  // The Contacts tab exports its own list.
  await page.getByRole('navigation', { name: 'Clients' }).getByRole('link', { name: /^Contacts/ }).click();
  const [contacts] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  expect(contacts.suggestedFilename()).toMatch(/^clientbook-contacts-\d{4}-\d{2}-\d{2}\.csv$/);

  // Into a fresh profile: the same account and contact.
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  const otherErrors = watchForErrors(other);
  await openApp(other);
  await openData(other);
  await other.getByLabel('CSV file (.csv)').setInputFiles(saved);
  await expect(other.getByLabel('Import column Account name as')).toHaveValue('account_name');
  await other.getByRole('button', { name: 'Check and preview' }).click();
  await expect(created(csvCard(other), 'Accounts')).toHaveText('1');
  await csvCard(other).getByRole('button', { name: 'Import', exact: true }).click();
  await expect(other.getByRole('status').filter({ hasText: 'CSV import finished.' })).toBeVisible();
  await openClients(other);
  await expect(other.getByRole('link', { name: '=1+2 Family' })).toBeVisible();
  await other.getByRole('navigation', { name: 'Clients' }).getByRole('link', { name: /^Contacts/ }).click();
  await expect(other.getByRole('link', { name: 'Eve Ștefan' })).toBeVisible();
  otherErrors.assertNone();
  await fresh.close();
  errors.assertNone();
});

test('a CSV of 20,000 rows is read, checked and imported', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = watchForErrors(page);
  await openApp(page);
  await openData(page);
  const lines = ['Account name,Account type,First name,Last name,Email,Phone,Tags'];
  for (let a = 0; a < 10_000; a++) {
    for (const who of ['A', 'B']) {
      lines.push(`Account ${a},Individual,${who}${a},Person,${who.toLowerCase()}${a}@example.com,+40 21 ${a},"Clients, Batch ${a % 10}"`);
    }
  }
  const started = Date.now();
  await page.getByLabel('CSV file (.csv)').setInputFiles(file('big.csv', lines.join('\n')));
  await expect(page.getByText('20,000 rows · UTF-8 · separated by commas')).toBeVisible({ timeout: 60_000 });
  const read = Date.now();
  // Count frames and every value the check's progress bar shows.
  await page.evaluate(() => {
    const w = (window.__check = { frames: 0, values: [] });
    const tick = () => { w.frames++; requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    const look = () => document.querySelectorAll('progress[aria-label="Checking the rows"]').forEach((p) => {
      const v = Number(p.getAttribute('value'));
      if (w.values[w.values.length - 1] !== v) w.values.push(v);
    });
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await page.getByRole('button', { name: 'Check and preview' }).click();
  const card = csvCard(page);
  await expect(created(card, 'Contacts')).toHaveText('20,000', { timeout: 60_000 });
  const checked = Date.now();
  // The rows were checked in slices: the bar moved and the page painted.
  const seen = await page.evaluate(() => window.__check);
  expect(seen.values.length, JSON.stringify(seen.values)).toBeGreaterThanOrEqual(2);
  for (let i = 1; i < seen.values.length; i++) expect(seen.values[i]).toBeGreaterThan(seen.values[i - 1]);
  expect(seen.frames).toBeGreaterThan(5);
  await card.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'CSV import finished.' })).toBeVisible({ timeout: 120_000 });
  const imported = Date.now();
  console.log(`CSV of 20,000 rows (10,000 accounts): read and mapped in ${read - started} ms; checked (plan + merge) in ${checked - read} ms; imported in ${imported - checked} ms`);
  expect(await count(page, 'accounts')).toBe(10_000);
  expect(await count(page, 'contacts')).toBe(20_000);
  errors.assertNone();
});
