// The Clients page: tabs and views, filters and sort, bulk actions, pending
// activation, the Contacts tab, and a virtualised list of 10,000 accounts.
import { test, expect } from '@playwright/test';
import { createAccount, openApp, watchForErrors } from './helpers.js';
import { accountRecord, contactRecord, hexId, linkRecord, memberItem, seed, tagItem } from './seed.js';

const accountsTable = (page) => page.getByRole('table', { name: 'Accounts' });

/** Names in the accounts table, in the order shown. */
async function shownNames(page) {
  return accountsTable(page).locator('.vbody [role="row"] .c-name a').allTextContents();
}

async function goToClients(page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
  await expect(accountsTable(page)).toBeVisible();
}

/** Three accounts made through New → Account: Mia Brown, Acme Ltd, Zoe Adams (in that order). */
async function threeAccounts(page) {
  await createAccount(page, { first: 'Mia', last: 'Brown', email: 'mia@brown.example' });
  await expect(page.getByRole('heading', { level: 1, name: 'Mia Brown' })).toBeVisible();
  await createAccount(page, { type: 'Company', company: 'Acme Ltd', first: 'Otto', last: 'Acme', email: 'otto@acme.example' });
  await expect(page.getByRole('heading', { level: 1, name: 'Acme Ltd' })).toBeVisible();
  await createAccount(page, { first: 'Zoe', last: 'Adams', email: 'zoe@adams.example' });
  await expect(page.getByRole('heading', { level: 1, name: 'Zoe Adams' })).toBeVisible();
  await goToClients(page);
}

test('accounts list: columns, filter by type, sort by name or date created', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await expect(page.getByText('No client accounts yet.')).toBeVisible();
  await expect(page.locator('.empty').getByRole('link', { name: 'New account' })).toHaveAttribute('href', '#/new/account');
  await threeAccounts(page);

  await expect(page.getByRole('link', { name: 'Accounts', exact: true })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('link', { name: /^Active/ })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('link', { name: /^Active/ })).toContainText('3');
  await expect(page.getByText('3 of 3 accounts')).toBeVisible();
  expect(await shownNames(page)).toEqual(['Acme Ltd', 'Mia Brown', 'Zoe Adams']);

  // The row shows type, primary contact and the created date.
  const acme = accountsTable(page).locator('[role="row"]', { hasText: 'Acme Ltd' });
  await expect(acme.getByRole('cell', { name: 'Company' })).toBeVisible();
  await expect(acme.getByRole('cell', { name: 'Otto Acme' })).toBeVisible();
  await expect(acme.getByRole('cell', { name: /^[A-Z][a-z]{2} \d{1,2}, \d{4}$/ })).toBeVisible();
  await expect(accountsTable(page)).toHaveAttribute('aria-rowcount', '4');

  // Newest first.
  await page.getByLabel('Sort by').selectOption('newest');
  await expect.poll(() => shownNames(page)).toEqual(['Zoe Adams', 'Acme Ltd', 'Mia Brown']);
  await expect(accountsTable(page).getByRole('columnheader', { name: 'Created' })).toHaveAttribute('aria-sort', 'descending');
  await page.getByLabel('Sort by').selectOption('name');
  await expect.poll(() => shownNames(page)).toEqual(['Acme Ltd', 'Mia Brown', 'Zoe Adams']);

  // Type filter, combined with the name filter and the sort.
  await page.getByLabel('Filter by type').selectOption('company');
  await expect(page.getByText('1 of 3 accounts')).toBeVisible();
  expect(await shownNames(page)).toEqual(['Acme Ltd']);
  await page.getByLabel('Filter by type').selectOption('individual');
  await page.getByLabel('Sort by').selectOption('newest');
  await expect.poll(() => shownNames(page)).toEqual(['Zoe Adams', 'Mia Brown']);
  await page.getByLabel('Filter by name').fill('zoé');
  await expect(page.getByText('1 of 3 accounts')).toBeVisible();
  await page.getByLabel('Filter by name').fill('nobody');
  await expect(page.getByText('No accounts match these filters.')).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByText('3 of 3 accounts')).toBeVisible();
  await expect(page.getByLabel('Filter by type')).toHaveValue('');
  await expect(page.getByLabel('Filter by name')).toHaveValue('');

  // The name opens the profile.
  await accountsTable(page).getByRole('link', { name: 'Mia Brown' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mia Brown' })).toBeVisible();
  errors.assertNone();
});

test('bulk: tags and team members on selected accounts, select all selects every filtered row', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await threeAccounts(page);

  // Without tags, the bulk tag control says where to make them.
  await page.getByLabel('Select Mia Brown').check();
  await page.getByLabel('Select Zoe Adams').check();
  const bulk = page.getByRole('region', { name: 'Bulk actions' });
  await expect(bulk.getByText('2 selected')).toBeVisible();
  await expect(bulk.getByText('No tags yet — create them in Settings')).toBeVisible();
  await expect(bulk.getByRole('link', { name: 'create them in Settings' })).toHaveAttribute('href', '#/settings');

  // Tags and team members are made in Settings (another page); seed them here.
  await seed(page, { catalog: [tagItem('VIP', 'red'), tagItem('Payroll', 'blue'), memberItem('Ann Lee')] });
  await page.reload();
  await expect(accountsTable(page)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Bulk actions' })).toHaveCount(0);

  await page.getByLabel('Select Mia Brown').check();
  await page.getByLabel('Select Zoe Adams').check();
  await bulk.getByLabel('Tag', { exact: true }).selectOption({ label: 'VIP' });
  await bulk.getByRole('button', { name: 'Add tag' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Tag VIP added to 2 accounts' })).toBeVisible();
  await expect(bulk).toHaveCount(0); // selection cleared
  await expect(page.getByLabel('Select Mia Brown')).not.toBeChecked();
  const row = (name) => accountsTable(page).locator('[role="row"]', { hasText: name });
  await expect(row('Mia Brown').locator('.tag', { hasText: 'VIP' })).toBeVisible();
  await expect(row('Zoe Adams').locator('.tag', { hasText: 'VIP' })).toBeVisible();
  await expect(row('Acme Ltd').locator('.tag')).toHaveCount(0);

  // Tag filter.
  await page.getByLabel('Filter by tag').selectOption({ label: 'VIP' });
  await expect(page.getByText('2 of 3 accounts')).toBeVisible();

  // Select all selects the filtered rows: assign Ann to both.
  await page.getByLabel(/^Select all/).check();
  await expect(bulk.getByText('2 selected')).toBeVisible();
  await bulk.getByLabel('Team member', { exact: true }).selectOption({ label: 'Ann Lee' });
  await bulk.getByRole('button', { name: 'Assign', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Ann Lee assigned to 2 accounts' })).toBeVisible();
  await expect(row('Mia Brown').getByRole('cell', { name: 'Ann Lee' })).toBeVisible();
  await page.getByLabel('Filter by team member').selectOption({ label: 'Ann Lee' });
  await expect(page.getByText('2 of 3 accounts')).toBeVisible();

  // Remove the tag again from one account.
  await page.getByLabel('Filter by tag').selectOption('');
  await page.getByLabel('Filter by team member').selectOption('');
  await page.getByLabel('Select Zoe Adams').check();
  await bulk.getByLabel('Tag', { exact: true }).selectOption({ label: 'VIP' });
  await bulk.getByRole('button', { name: 'Remove tag' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Tag VIP removed from 1 account' })).toBeVisible();
  await expect(row('Zoe Adams').locator('.tag')).toHaveCount(0);

  // The changes are in the account's history (as data): reload keeps them.
  await page.reload();
  await expect(row('Mia Brown').locator('.tag', { hasText: 'VIP' })).toBeVisible();
  errors.assertNone();
});

test('bulk archive and restore, and the Archived view', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await threeAccounts(page);

  await page.getByLabel('Select Acme Ltd').check();
  await page.getByLabel('Select Zoe Adams').check();
  await page.getByRole('region', { name: 'Bulk actions' }).getByRole('button', { name: 'Archive' }).click();
  await expect(page.getByRole('status').filter({ hasText: '2 accounts archived' })).toBeVisible();
  expect(await shownNames(page)).toEqual(['Mia Brown']);
  await expect(page.getByText('1 of 1 account')).toBeVisible();
  await expect(page.getByRole('link', { name: /^Archived/ })).toContainText('2');

  await page.getByRole('link', { name: /^Archived/ }).click();
  await expect(page).toHaveURL(/#\/clients\/archived$/);
  await expect(page.getByRole('link', { name: /^Archived/ })).toHaveAttribute('aria-current', 'page');
  await expect.poll(() => shownNames(page)).toEqual(['Acme Ltd', 'Zoe Adams']);
  await page.getByLabel(/^Select all/).check();
  const bulk = page.getByRole('region', { name: 'Bulk actions' });
  await expect(bulk.getByRole('button', { name: 'Archive' })).toHaveCount(0);
  await bulk.getByRole('button', { name: 'Restore' }).click();
  await expect(page.getByRole('status').filter({ hasText: '2 accounts restored' })).toBeVisible();
  await expect(page.getByText('No archived accounts.')).toBeVisible();

  await page.getByRole('link', { name: /^Active/ }).click();
  await expect.poll(() => shownNames(page)).toEqual(['Acme Ltd', 'Mia Brown', 'Zoe Adams']);
  errors.assertNone();
});

test('Contacts tab lists contacts with email and number of accounts', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await threeAccounts(page);
  // Otto belongs to a second account too.
  await page.getByRole('button', { name: '+ New' }).click();
  await page.getByRole('menuitem', { name: 'Account' }).click();
  await page.getByLabel('Account name').fill('Otto Family');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('First name').fill('Otto');
  await page.getByLabel('Last name').fill('Acme');
  await page.getByLabel('Email', { exact: true }).fill('otto@acme.example');
  await page.getByLabel('Phone').focus();
  await page.getByRole('button', { name: 'Link Otto Acme instead' }).click();
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Otto Family' })).toBeVisible();

  await goToClients(page);
  await page.getByRole('link', { name: /^Contacts/ }).click();
  await expect(page).toHaveURL(/#\/clients\/contacts$/);
  const table = page.getByRole('table', { name: 'Contacts' });
  await expect(table).toBeVisible();
  await expect(page.getByText('3 of 3 contacts')).toBeVisible();
  const names = await table.locator('.vbody [role="row"] .c-name a').allTextContents();
  expect(names).toEqual(['Otto Acme', 'Zoe Adams', 'Mia Brown']);
  const otto = table.locator('[role="row"]', { hasText: 'Otto Acme' });
  await expect(otto.getByRole('cell', { name: 'otto@acme.example' })).toBeVisible();
  await expect(otto.locator('.c-number')).toHaveText('2');
  await expect(table.locator('[role="row"]', { hasText: 'Mia Brown' }).locator('.c-number')).toHaveText('1');

  await page.getByLabel('Filter by name or email').fill('BROWN.example');
  await expect(page.getByText('1 of 3 contacts')).toBeVisible();
  await table.getByRole('link', { name: 'Mia Brown' }).click();
  await expect(page).toHaveURL(/#\/contacts\/[0-9a-f]{32}$/);
  errors.assertNone();
});

test('Pending activation: invitations not yet activated, resend and mark as activated', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await expect(page.getByText('No client accounts yet.')).toBeVisible();
  const day = 86_400_000;
  const a = accountRecord({ name: 'Kate Smith' });
  const b = accountRecord({ name: 'Smith Holding', type: 'Company' });
  const kate = contactRecord({ first: 'Kate', last: 'Smith', email: 'kate@smith.example' });
  await seed(page, {
    accounts: [a, b],
    contacts: [kate],
    links: [
      linkRecord({ account: a.id, contact: kate.id, email: 'kate@smith.example', login: true, invitedAt: Date.UTC(2026, 0, 5) }),
      linkRecord({ account: b.id, contact: kate.id, email: 'kate@smith.example', login: true, invitedAt: Date.UTC(2026, 0, 9), activatedAt: Date.UTC(2026, 0, 9) + day }),
    ],
  });
  await page.reload();
  await expect(accountsTable(page)).toBeVisible();
  await expect(page.getByRole('link', { name: /^Pending activation/ })).toContainText('1');
  await page.getByRole('link', { name: /^Pending activation/ }).click();
  const table = page.getByRole('table', { name: 'Pending activation' });
  await expect(table.getByRole('link', { name: 'Kate Smith' }).first()).toBeVisible();
  // Dates in the English interface: "Jan 5, 2026".
  await expect(table.getByRole('cell', { name: 'Jan 5, 2026' })).toBeVisible();
  await expect(table.getByRole('row')).toHaveCount(2); // header + one invitation (Smith Holding is activated)

  // Resend: the invitation opens in the mail program (a mailto: address)
  // and the new date is recorded.
  await table.getByRole('button', { name: 'Resend invitation to kate@smith.example for Kate Smith' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Invitation to kate@smith.example opened in your mail program' })).toBeVisible();
  const today = new Date().toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
  await expect(table.getByRole('cell', { name: today })).toBeVisible();

  await table.getByRole('button', { name: 'Mark kate@smith.example as activated for Kate Smith' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Portal login of kate@smith.example marked as activated' })).toBeVisible();
  await expect(page.getByText('No portal invitations are waiting for activation.')).toBeVisible();
  await page.reload();
  await expect(page.getByText('No portal invitations are waiting for activation.')).toBeVisible();
  errors.assertNone();
});

test('10,000 accounts: only the visible rows are in the DOM, and scrolling reaches the last one', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchForErrors(page);
  await openApp(page);
  await expect(page.getByText('No client accounts yet.')).toBeVisible();

  const seeded = await page.evaluate(async () => {
    const start = performance.now();
    const hex = (n, len) => n.toString(16).padStart(len, '0');
    const db = await new Promise((resolve, reject) => {
      const r = indexedDB.open('clientbook');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    await new Promise((resolve, reject) => {
      const tx = db.transaction(['accounts', 'contacts', 'links', 'summary', 'lines'], 'readwrite');
      // Written behind the app's back: its directory and bundle lines are rebuilt on the next read.
      tx.objectStore('summary').clear();
      tx.objectStore('lines').clear();
      const accounts = tx.objectStore('accounts');
      const contacts = tx.objectStore('contacts');
      const links = tx.objectStore('links');
      const t0 = Date.UTC(2025, 0, 1);
      for (let i = 0; i < 10_000; i++) {
        const n = String(i).padStart(5, '0');
        const id = `a${hex(i, 31)}`;
        const cid = `c${hex(i, 31)}`;
        const name = `Client ${n}`;
        const email = `client${n}@example.com`;
        const created = t0 + i * 60_000;
        accounts.put({
          id, name, type: i % 3 === 0 ? 'Company' : 'Individual', company_name: '', tags: [], team: [], roles: [], custom: {},
          folder_template: null, has_photo: false, archived: false, created_at: created, updated_at: created, name_key: name.toLowerCase(),
        });
        contacts.put({
          id: cid, first_name: 'Person', middle_name: '', last_name: n, emails: [email], phones: [], date_of_birth: '',
          tags: [], custom: {}, created_at: created, updated_at: created, name_key: `${n} person`, email_keys: [email],
        });
        links.put({
          account_id: id, contact_id: cid, description: '', signer_priority: null,
          email_access: [{ email, login: false, notify: false, email_sync: false, signatory: false, invited_at: null, activated_at: null }],
        });
      }
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
    return Math.round(performance.now() - start);
  });

  const t0 = Date.now();
  await page.reload();
  const table = accountsTable(page);
  await expect(table.getByRole('link', { name: 'Client 00000' })).toBeVisible({ timeout: 30_000 });
  const firstRender = Date.now() - t0;
  await expect(page.getByText('10,000 of 10,000 accounts')).toBeVisible();
  await expect(table).toHaveAttribute('aria-rowcount', '10001');

  const rowsInDom = () => page.locator('[role="row"]').count();
  const initialRows = await rowsInDom();
  expect(initialRows).toBeLessThanOrEqual(100);

  // Scroll to the end: the last account is rendered, still few rows.
  const scroller = table.locator('.vscroll');
  await scroller.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  const last = table.getByRole('link', { name: 'Client 09999' });
  await expect(last).toBeVisible();
  await expect(last.locator('xpath=ancestor::*[@role="row"]')).toHaveAttribute('aria-rowindex', '10001');
  expect(await rowsInDom()).toBeLessThanOrEqual(100);

  // In the middle, too.
  await scroller.evaluate((el) => { el.scrollTop = el.scrollHeight / 2; });
  await expect(table.getByRole('link', { name: 'Client 05000' })).toBeVisible();
  expect(await rowsInDom()).toBeLessThanOrEqual(100);

  // Sorting and filtering the whole list stay quick.
  let t = Date.now();
  await page.getByLabel('Sort by').selectOption('newest');
  await expect(table.locator('.vbody [role="row"]').first()).toContainText('Client 09999');
  const sortMs = Date.now() - t;
  t = Date.now();
  await page.getByLabel('Filter by type').selectOption('company');
  await expect(page.getByText('3,334 of 10,000 accounts')).toBeVisible();
  const filterMs = Date.now() - t;

  // Keyboard: ArrowDown / ArrowUp move to the next / previous row's link.
  await table.getByRole('link', { name: 'Client 09999' }).focus();
  await page.keyboard.press('ArrowDown');
  await expect(table.getByRole('link', { name: 'Client 09996' })).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(table.getByRole('link', { name: 'Client 09999' })).toBeFocused();

  // The sidebar search over 10,000 accounts and contacts: the first search
  // loads and indexes them, later keystrokes only scan.
  const search = page.getByRole('combobox', { name: 'Search clients' });
  const found = page.getByRole('listbox', { name: 'Search results' }).getByRole('option');
  t = Date.now();
  await search.fill('client 09998');
  await expect(found.first()).toContainText('Client 09998');
  const firstSearchMs = Date.now() - t;
  t = Date.now();
  await search.fill('09997@exa');
  await expect(found.first()).toContainText('Person 09997');
  const searchMs = Date.now() - t;
  await search.press('Escape');

  // Select all selects every filtered row, not just the rendered ones; one
  // bulk write archives them all.
  await page.getByLabel(/^Select all/).check();
  const bulk = page.getByRole('region', { name: 'Bulk actions' });
  await expect(bulk.getByText('3,334 selected')).toBeVisible();
  t = Date.now();
  await bulk.getByRole('button', { name: 'Archive' }).click();
  await expect(page.getByRole('status').filter({ hasText: '3,334 accounts archived' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('0 of 6,666 accounts')).toBeVisible();
  const archiveMs = Date.now() - t;
  await expect(page.getByRole('link', { name: /^Archived/ })).toContainText('3,334');
  expect(await rowsInDom()).toBeLessThanOrEqual(100);

  console.log(`10,000 accounts: seeded in ${seeded} ms, first render after reload ${firstRender} ms, `
    + `${initialRows} row elements in the DOM, sort ${sortMs} ms, filter ${filterMs} ms, bulk archive of 3334 ${archiveMs} ms, `
    + `first search ${firstSearchMs} ms, next search ${searchMs} ms`);
  errors.assertNone();
});

test('export selected accounts as a bundle: only them, with their contacts', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await threeAccounts(page);
  await page.getByLabel('Select Mia Brown').check();
  await page.getByLabel('Select Zoe Adams').check();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export selected' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^clientbook-selection-\d{4}-\d{2}-\d{2}\.json$/);
  const path = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(path);
  const bundle = JSON.parse(await (await import('node:fs/promises')).readFile(path, 'utf8'));
  expect(bundle.format).toBe('clientbook-bundle');
  expect(bundle.accounts.map((a) => a.name).sort()).toEqual(['Mia Brown', 'Zoe Adams']);
  expect(bundle.contacts.map((c) => c.first_name).sort()).toEqual(['Mia', 'Zoe']);
  await expect(page.getByText(/Downloaded clientbook-selection-.*: 2 accounts, 2 contacts/)).toBeVisible();
  errors.assertNone();
});

test('recycled rows: scrolling reuses the row elements in row order, and selection, focus and links follow the rows', async ({ page }) => {
  test.setTimeout(90_000);
  const errors = watchForErrors(page);
  await openApp(page);
  const accounts = [];
  const contacts = [];
  const links = [];
  const t0 = Date.UTC(2025, 0, 1);
  for (let i = 0; i < 300; i++) {
    const n = String(i).padStart(3, '0');
    const a = accountRecord({ name: `Row ${n}`, created: t0 + i * 60_000 });
    const c = contactRecord({ first: 'Person', last: n, email: `row${n}@example.com`, created: t0 + i * 60_000 });
    accounts.push(a);
    contacts.push(c);
    links.push(linkRecord({ account: a.id, contact: c.id, email: c.emails[0] }));
  }
  await seed(page, { accounts, contacts, links });
  await page.reload();
  await goToClients(page);
  const table = accountsTable(page);
  await expect(table.getByRole('link', { name: 'Row 000' })).toBeVisible();
  const scroller = table.locator('.vscroll');

  // Marks every row element, then scrolls: the same elements (no new ones)
  // show other rows, in row order, each at its place.
  const state = () => table.evaluate((t) => {
    const rows = [...t.querySelectorAll('.vbody [role="row"]')];
    return {
      n: rows.length,
      marked: rows.filter((r) => r.__mark).length,
      index: rows.map((r) => Number(r.getAttribute('aria-rowindex'))),
      top: rows.map((r) => parseFloat(r.style.top)),
      names: rows.map((r) => r.querySelector('.c-name a').textContent),
      hrefs: rows.map((r) => r.querySelector('.c-name a').getAttribute('href')),
    };
  });
  await table.evaluate((t) => t.querySelectorAll('.vbody [role="row"]').forEach((r) => { r.__mark = true; }));
  const before = await state();
  expect(before.n).toBeLessThanOrEqual(100);
  for (const target of [44 * 3, 44 * 40, 44 * 41 + 10, 44 * 150, 44 * 7, 0, 44 * 299]) {
    await scroller.evaluate((el, y) => { el.scrollTop = y; }, target);
    const first = Math.min(Math.floor(await scroller.evaluate((el) => el.scrollTop) / 44), 299);
    await expect(table.getByRole('link', { name: `Row ${String(first).padStart(3, '0')}`, exact: true })).toBeVisible();
    const s = await state();
    expect(s.n).toBe(before.n);
    expect(s.marked).toBe(before.n);
    // Consecutive rows, in DOM order, each placed by its index.
    s.index.forEach((x, k) => {
      expect(x).toBe(s.index[0] + k);
      expect(s.top[k]).toBe((x - 2) * 44);
      expect(s.names[k]).toBe(`Row ${String(x - 2).padStart(3, '0')}`);
    });
    expect(new Set(s.hrefs).size).toBe(s.n);
  }

  // Selection belongs to the account, not to the element showing it.
  await scroller.evaluate((el) => { el.scrollTop = 0; });
  await page.getByLabel('Select Row 002', { exact: true }).check();
  await scroller.evaluate((el) => { el.scrollTop = 44 * 100; });
  await expect(table.getByRole('link', { name: 'Row 100', exact: true })).toBeVisible();
  await expect(table.locator('.vbody input[type=checkbox]:checked')).toHaveCount(0);
  await page.getByLabel('Select Row 101', { exact: true }).check();
  await expect(page.getByRole('region', { name: 'Bulk actions' }).getByText('2 selected')).toBeVisible();
  await scroller.evaluate((el) => { el.scrollTop = 0; });
  await expect(page.getByLabel('Select Row 002', { exact: true })).toBeChecked();
  await expect(page.getByLabel('Select Row 003', { exact: true })).not.toBeChecked();
  await expect(table.locator('.vbody input[type=checkbox]:checked')).toHaveCount(1);
  await page.getByLabel('Select Row 002', { exact: true }).uncheck();
  await expect(page.getByRole('region', { name: 'Bulk actions' }).getByText('1 selected')).toBeVisible();

  // Keyboard: ArrowDown through more rows than the pool holds keeps the
  // focus on the next account's link.
  await table.getByRole('link', { name: 'Row 000', exact: true }).focus();
  for (let i = 1; i <= 40; i++) {
    await page.keyboard.press('ArrowDown');
    await expect(table.getByRole('link', { name: `Row ${String(i).padStart(3, '0')}`, exact: true })).toBeFocused();
  }
  for (let i = 39; i >= 30; i--) {
    await page.keyboard.press('ArrowUp');
    await expect(table.getByRole('link', { name: `Row ${String(i).padStart(3, '0')}`, exact: true })).toBeFocused();
  }
  // Scrolled far away, the focused row's element shows another account:
  // it lets go of the focus instead of keeping it on that other account.
  await scroller.evaluate((el) => { el.scrollTop = 44 * 250; });
  await expect(table.getByRole('link', { name: 'Row 250', exact: true })).toBeVisible();
  expect(await page.evaluate(() => document.activeElement?.closest?.('.vbody') ?? null)).toBeNull();

  // A recycled row's link opens the account it shows now.
  await table.getByRole('link', { name: 'Row 252', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Row 252' })).toBeVisible();
  errors.assertNone();
});
