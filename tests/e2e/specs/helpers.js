import { expect } from '@playwright/test';

/** Fails the test on any uncaught page error or console error. */
export function watchForErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // Opening a mailto: link logs this when no mail program is installed
    // (as on the test machine); it is the browser's, not the app's.
    if (m.type() === 'error' && !m.text().includes('scheme does not have a registered handler')) {
      errors.push(`console: ${m.text()}`);
    }
  });
  return {
    assertNone: () => expect(errors, errors.join('\n')).toEqual([]),
  };
}

/** Opens the app and waits until the database is open. */
export async function openApp(page, hash = '#/clients') {
  await page.goto(`./${hash}`);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.getByText('Opening your data…')).toHaveCount(0);
}

/** Creates an Individual account through New → Account. */
export async function createAccount(page, { type = 'Individual', name = '', company = '', first, last, email }) {
  await page.getByRole('button', { name: '+ New' }).click();
  await page.getByRole('menuitem', { name: 'Account' }).click();
  await expect(page.getByRole('heading', { name: 'New account' })).toBeVisible();
  await page.getByLabel(type, { exact: true }).check();
  if (name) await page.getByLabel('Account name').fill(name);
  if (company) await page.getByLabel('Company name').fill(company);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('First name').fill(first);
  await page.getByLabel('Last name').fill(last);
  if (email) await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByRole('button', { name: 'Create account' }).click();
}

/** The error shown next to an input (the element its aria-describedby names). */
export async function errorOf(page, input) {
  const id = await input.getAttribute('id');
  return page.locator(`[id="${id}-error"]`);
}

/** Writes catalog items (tags, team members, roles, fields, templates)
 * straight into the database, as a Settings page would, then reloads. */
export async function seedCatalog(page, items) {
  await page.evaluate(async (items) => {
    await new Promise((resolve, reject) => {
      const open = indexedDB.open('clientbook');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const tx = db.transaction('catalog', 'readwrite');
        for (const item of items) tx.objectStore('catalog').put(item);
        tx.oncomplete = () => { db.close(); resolve(); };
        tx.onabort = () => reject(tx.error);
      };
    });
  }, items);
  await page.reload();
}

/** A 32-hex-digit id. */
export function hexId(n) {
  return n.toString(16).padStart(32, '0');
}

/** One stored record, read straight from IndexedDB (`undefined` when none). */
export async function storedRecord(page, store, key) {
  return page.evaluate(({ store, key }) => new Promise((resolve, reject) => {
    const open = indexedDB.open('clientbook');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const req = db.transaction(store).objectStore(store).get(key);
      req.onsuccess = () => { db.close(); resolve(req.result); };
      req.onerror = () => reject(req.error);
    };
  }), { store, key });
}
