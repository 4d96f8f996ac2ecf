// JSON bundles: export, import into a fresh browser profile, whole-file
// refusal of a bad bundle (nothing written), undo of an import, a large
// import with a moving progress bar on a page that stays responsive, and
// "take theirs" for an email that belongs to another contact.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import { openApp, createAccount, watchForErrors, hexId, storedRecord } from './helpers.js';
import { generate } from './gen-bundle.js';

const address = { street: '', city: '', state: '', postal_code: '', country: '' };
const prefs = { messages: true, documents: true, organizers: true, invoices: true, signatures: true };

/** A valid bundle of `n` accounts, each with one contact. */
function bundle(n) {
  const accounts = [], contacts = [], links = [];
  for (let i = 0; i < n; i++) {
    const a = hexId(i + 1), c = hexId(1_000_000 + i), email = `person${i}@example.com`;
    accounts.push({ id: a, name: `Account ${i}`, type: 'individual', company_name: '', address, tags: [], team: [], roles: [], custom: {}, folder_template: null, archived: false, created_at: 1, updated_at: 1 });
    contacts.push({ id: c, first_name: `First${i}`, middle_name: '', last_name: 'Imported', emails: [email], phones: [], address, date_of_birth: '', tags: [], custom: {}, created_at: 1, updated_at: 1 });
    links.push({ account_id: a, contact_id: c, description: '', signer_priority: null, emails: [{ email, login: false, notify: false, email_sync: false, signatory: false, notify_prefs: prefs, invited_at: null, activated_at: null }] });
  }
  return { format: 'clientbook-bundle', version: 1, exported_at: 1, app_version: 'test', catalog: { tags: [], members: [], roles: [], fields: [], templates: [] }, accounts, contacts, links, notes: [], history: [] };
}

function file(name, json) {
  return { name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(json)) };
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
  await page.getByRole('link', { name: 'Import & export' }).click();
  await expect(page.getByRole('heading', { name: 'Import & export', level: 1 })).toBeVisible();
}

test('export, then import into a fresh profile gives the same data', async ({ page, browser }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await createAccount(page, { name: 'Ștefănescu & Co', first: 'Ana', last: 'Ştefănescu', email: 'ana@example.ro' });
  await expect(page.getByRole('heading', { level: 1, name: 'Ștefănescu & Co' })).toBeVisible();
  await openData(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export everything' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^clientbook-\d{4}-\d{2}-\d{2}\.json$/);
  const path = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(path);
  const exported = JSON.parse(fs.readFileSync(path, 'utf8'));
  expect(exported.format).toBe('clientbook-bundle');
  expect(exported.version).toBe(1);
  expect(exported.accounts.map((a) => a.name)).toEqual(['Ștefănescu & Co']);
  await expect(page.getByRole('status').filter({ hasText: 'Downloaded' })).toContainText('1 account, 1 contact');

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  const otherErrors = watchForErrors(other);
  await openApp(other);
  await openData(other);
  await other.getByLabel('Bundle file (.json)').setInputFiles(path);
  await expect(other.getByRole('heading', { name: /^Preview of clientbook-/ })).toBeVisible();
  const accountsRow = other.getByRole('row', { name: /^Accounts/ });
  await expect(accountsRow.getByRole('cell').first()).toHaveText('1');
  await other.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(other.getByRole('status').filter({ hasText: 'Import finished.' })).toBeVisible();
  // Exporting again there gives the same bundle (apart from the time).
  const [again] = await Promise.all([
    other.waitForEvent('download'),
    other.getByRole('button', { name: 'Export everything' }).click(),
  ]);
  const path2 = test.info().outputPath('export2.json');
  await again.saveAs(path2);
  const reexported = JSON.parse(fs.readFileSync(path2, 'utf8'));
  delete exported.exported_at;
  delete reexported.exported_at;
  expect(reexported).toEqual(exported);
  await other.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
  await expect(other.getByRole('link', { name: 'Ștefănescu & Co' })).toBeVisible();
  otherErrors.assertNone();
  await fresh.close();
  errors.assertNone();
});

test('a bundle with one bad record among thousands is refused with its index and writes nothing', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await openData(page);
  const bad = bundle(3000);
  bad.contacts[2345].emails[0] = 'not an email';
  bad.links[2345].emails[0].email = 'not an email';
  await page.getByLabel('Bundle file (.json)').setInputFiles(file('bad.json', bad));
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('The bundle has');
  await expect(alert).toContainText('contacts[2345].emails[0]: not an email address');
  await expect(page.getByRole('button', { name: 'Import', exact: true })).toHaveCount(0);
  expect(await count(page, 'accounts')).toBe(0);
  expect(await count(page, 'contacts')).toBe(0);

  const newer = bundle(1);
  newer.version = 2;
  await page.getByLabel('Bundle file (.json)').setInputFiles(file('newer.json', newer));
  await expect(page.getByRole('alert')).toContainText('made by a newer Clientbook');
  errors.assertNone();
});

test('a large import can be undone in one step', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await createAccount(page, { name: 'Already here', first: 'Kate', last: 'Smith', email: 'kate@example.com' });
  await expect(page.getByRole('heading', { level: 1, name: 'Already here' })).toBeVisible();
  await openData(page);
  await expect(page.getByText('There is no import to undo.')).toBeVisible();
  const n = 5000;
  const started = Date.now();
  await page.getByLabel('Bundle file (.json)').setInputFiles(file('big.json', bundle(n)));
  await expect(page.getByRole('row', { name: /^Accounts/ }).getByRole('cell').first()).toHaveText(n.toLocaleString('en-US'));
  const checked = Date.now();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Import finished.' })).toBeVisible({ timeout: 60_000 });
  const imported = Date.now();
  console.log(`bundle of ${n} accounts + ${n} contacts: read, checked and planned in ${checked - started} ms; imported in ${imported - checked} ms`);
  expect(await count(page, 'accounts')).toBe(n + 1);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export everything' }).click(),
  ]);
  const path = test.info().outputPath('big-export.json');
  await download.saveAs(path);
  console.log(`export of ${n + 1} accounts: ${Date.now() - imported} ms, ${fs.statSync(path).size} bytes`);
  const undoStarted = Date.now();
  await page.getByRole('button', { name: 'Undo last import' }).click();
  await expect(page.getByText('The last import was undone.')).toBeVisible({ timeout: 60_000 });
  console.log(`undo in ${Date.now() - undoStarted} ms`);
  expect(await count(page, 'accounts')).toBe(1);
  expect(await count(page, 'contacts')).toBe(1);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
  await expect(page.getByRole('link', { name: 'Already here' })).toBeVisible();
  errors.assertNone();
});

/** Starts counting animation frames and recording every value any progress
 * bar shows (by its label), in the page. */
async function watchPage(page) {
  await page.evaluate(() => {
    const w = (window.__watch = { frames: 0, longestGap: 0, bars: {}, max: {} });
    let last = performance.now();
    const tick = (t) => {
      w.frames++;
      w.longestGap = Math.max(w.longestGap, t - last);
      last = t;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const seen = (bar) => {
      const label = bar.getAttribute('aria-label');
      const list = (w.bars[label] ??= []);
      const v = Number(bar.getAttribute('value'));
      if (list[list.length - 1] !== v) list.push(v);
      w.max[label] = Number(bar.getAttribute('max'));
    };
    // The bar may be drawn anew at each change: look at added nodes too.
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === 'attributes' && r.target.matches('progress')) seen(r.target);
        for (const n of r.addedNodes) {
          if (n.nodeType !== 1) continue;
          if (n.matches('progress')) seen(n);
          n.querySelectorAll('progress').forEach(seen);
        }
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['value'] });
  });
}

const watched = (page) => page.evaluate(() => {
  const w = window.__watch;
  return { frames: w.frames, longestGap: w.longestGap, bars: w.bars, max: w.max };
});

/** The values a bar showed, checked: several, rising, ending at the total. */
function expectMoving(values, label) {
  expect(values, `${label}: ${JSON.stringify(values)}`).toBeTruthy();
  expect(values.length, `${label} showed ${JSON.stringify(values)}`).toBeGreaterThanOrEqual(3);
  for (let i = 1; i < values.length; i++) expect(values[i], label).toBeGreaterThan(values[i - 1]);
}

test('a large import shows a moving progress bar and the page keeps responding', async ({ page }) => {
  test.setTimeout(600_000);
  const errors = watchForErrors(page);
  await openApp(page);
  await openData(page);
  const big = generate({ accounts: 10_000, seed: 5 });
  const path = test.info().outputPath('big.json');
  fs.writeFileSync(path, JSON.stringify(big));
  await watchPage(page);
  await page.getByLabel('Bundle file (.json)').setInputFiles(path);
  await expect(page.getByRole('heading', { name: /^Preview of big.json/ })).toBeVisible({ timeout: 300_000 });
  const accountsRow = page.getByRole('row', { name: /^Accounts/ });
  await expect(accountsRow.getByRole('cell').first()).toHaveText('10,000', { timeout: 300_000 });
  const read = await watched(page);
  expectMoving(read.bars['Checking the records'], 'checking');
  expect(read.max['Checking the records']).toBe(5 + 3 + 2 + 2 + 1 + 10_000 + 20_000 + big.links.length + big.notes.length + big.history.length);
  // The page kept painting while it read 25 MB: it never froze for long.
  // (A count of frames alone depends on how long the read takes, which
  // the machine and the reader's speed decide.)
  console.log(`read: ${read.frames} frames, longest gap ${Math.round(read.longestGap)} ms`);
  expect(read.frames).toBeGreaterThan(5);
  expect(read.longestGap).toBeLessThan(500);

  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('progressbar', { name: 'Importing' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText(/^[\d,]+ of [\d,]+ records$/).first()).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Import finished.' })).toBeVisible({ timeout: 300_000 });
  const written = await watched(page);
  expectMoving(written.bars['Importing'], 'importing');
  expect(written.frames - read.frames).toBeGreaterThan(20);
  expect(await count(page, 'accounts')).toBe(10_000);
  expect(await count(page, 'contacts')).toBe(20_000);
  expect(await count(page, 'links')).toBe(big.links.length);
  // Written in stages into the empty store, and undone in stages.
  await page.getByRole('button', { name: 'Undo last import' }).click();
  await expect(page.getByText('The last import was undone.')).toBeVisible({ timeout: 300_000 });
  expect(await count(page, 'accounts')).toBe(0);
  expect(await count(page, 'contacts')).toBe(0);
  expect(await count(page, 'links')).toBe(0);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
  await expect(page.getByText('No client accounts yet.')).toBeVisible();
  errors.assertNone();
});

/** Whether the mark of an import written in stages is in the database. */
async function stagedMark(page) {
  return (await storedRecord(page, 'meta', 'staged_import')) !== undefined;
}

test('a large import into an empty store whose tab closes part way is undone at the next start; until then other tabs may not write', async ({ page, context }) => {
  test.setTimeout(300_000);
  const errors = watchForErrors(page);
  // Another tab, open on the empty store before the import starts.
  const other = await context.newPage();
  const otherErrors = watchForErrors(other);
  await openApp(other);
  await openApp(page);
  await openData(page);
  // 30,000 accounts, contacts and links: written in stages of 2,000.
  const n = 10_000;
  await page.getByLabel('Bundle file (.json)').setInputFiles(file('big.json', bundle(n)));
  await expect(page.getByRole('row', { name: /^Accounts/ }).getByRole('cell').first()).toHaveText('10,000', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  // Some stages are in, not all: the tab goes away.
  await expect.poll(() => count(other, 'accounts'), { timeout: 60_000, intervals: [20] }).toBeGreaterThan(0);
  await page.close({ runBeforeUnload: false });
  const left = await count(other, 'accounts');
  console.log(`accounts stored when the tab closed: ${left} of ${n}`);
  expect(left).toBeLessThan(n);
  expect(await stagedMark(other)).toBe(true);
  // The other tab still shows the store as it was, and may not write
  // among the half-written records.
  await expect(other.getByText('No client accounts yet.')).toBeVisible();
  await createAccount(other, { name: 'Meanwhile', first: 'Mia', last: 'Mean', email: 'mia@example.com' });
  await expect(other.getByText('A large import, or its undo, is still being written, in this tab or another.', { exact: false })).toBeVisible();
  expect(await count(other, 'accounts')).toBe(left);
  // The next start undoes it: the store is empty again, and writable.
  await other.goto('./#/clients');
  await other.reload();
  await expect(other.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect.poll(() => stagedMark(other)).toBe(false);
  expect(await count(other, 'accounts')).toBe(0);
  expect(await count(other, 'contacts')).toBe(0);
  expect(await count(other, 'links')).toBe(0);
  await expect(other.getByText('No client accounts yet.')).toBeVisible();
  await createAccount(other, { name: 'Afterwards', first: 'Ava', last: 'After', email: 'ava@example.com' });
  await expect(other.getByRole('heading', { level: 1, name: 'Afterwards' })).toBeVisible();
  expect(await count(other, 'accounts')).toBe(1);
  errors.assertNone();
  otherErrors.assertNone();
});

test('take theirs: an email of a contact here moves to the contact from the file, and history says so', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await createAccount(page, { name: 'Already here', first: 'Ana', last: 'Pop', email: 'ana@example.com' });
  await expect(page.getByRole('heading', { level: 1, name: 'Already here' })).toBeVisible();
  await openData(page);
  const file = bundle(2);
  file.contacts[1].emails = ['Ana@Example.com'];
  file.contacts[1].first_name = 'Ana';
  file.contacts[1].last_name = 'Popescu';
  file.links[1].emails[0].email = 'ana@example.com';
  await page.getByLabel('Bundle file (.json)').setInputFiles({ name: 'theirs.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  await expect(page.getByRole('heading', { name: 'Preview of theirs.json' })).toBeVisible();
  await expect(page.getByText('ana@example.com: “Ana Popescu” in the file, “Ana Pop” here')).toBeVisible();
  await page.getByLabel('Take theirs (the email moves to the contact from the file)').check();
  await expect(page.getByText('ana@example.com moves from “Ana Pop” (on this device) to “Ana Popescu” (from the file); the history of their accounts records it.')).toBeVisible();
  await expect(page.getByRole('row', { name: /^Contacts/ }).getByRole('cell').nth(1)).toHaveText('1');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Import finished.' })).toBeVisible();

  const history = async (name) => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
    await page.getByRole('link', { name, exact: true }).click();
    await page.getByRole('navigation', { name: 'Account sections' }).getByRole('link', { name: 'Info' }).click();
    return page.getByRole('region', { name: 'History of changes' });
  };
  const line = 'Email ana@example.com moved from contact “Ana Pop” to “Ana Popescu” by an import';
  await expect((await history('Already here')).getByText(line)).toBeVisible();
  await expect((await history('Account 1')).getByText(line)).toBeVisible();
  const contacts = () => page.getByRole('region', { name: /^Contacts \(/ });
  await expect(contacts().getByRole('link', { name: 'Ana Popescu' })).toBeVisible();
  await expect(contacts().getByText('ana@example.com')).toBeVisible();
  // Ana Pop keeps her account, without the email (and its switches).
  await history('Already here');
  await expect(contacts().getByRole('link', { name: 'Ana Pop', exact: true })).toBeVisible();
  await expect(contacts().getByText('ana@example.com')).toHaveCount(0);

  // Undo gives the email back.
  await openData(page);
  await page.getByRole('button', { name: 'Undo last import' }).click();
  await expect(page.getByText('The last import was undone.')).toBeVisible();
  await history('Already here');
  await expect(contacts().getByText('ana@example.com')).toBeVisible();
  await expect(page.getByRole('region', { name: 'History of changes' }).getByText(line)).toHaveCount(0);
  errors.assertNone();
});
