// A contact's own page: edit personal details and emails; each email gets
// its own switches per linked account; link to another account; unlink.
import { test, expect } from '@playwright/test';
import { createAccount, errorOf, openApp, watchForErrors } from './helpers.js';

// Every email's switches as stored (a reload can cut a write short: wait
// for them before reloading).
function storedSwitches(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('clientbook');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const req = db.transaction('links').objectStore('links').getAll();
          req.onsuccess = () => {
            db.close();
            resolve(req.result.flatMap((l) => l.email_access));
          };
        };
      }),
  );
}

test('edit a contact: names, emails, date of birth; switches follow the emails', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await createAccount(page, { first: 'Ana', last: 'Pop', email: 'ana@pop.example' });
  await expect(page.getByRole('heading', { level: 1, name: 'Ana Pop' })).toBeVisible();
  await page.getByRole('link', { name: 'Ana Pop' }).click();
  await expect(page.getByRole('heading', { name: 'Personal details' })).toBeVisible();

  await page.getByRole('button', { name: 'Edit personal details' }).click();
  await page.getByLabel('Middle name').fill('Maria');
  await page.getByRole('button', { name: '+ Add email' }).click();
  const second = page.getByLabel('Email 2', { exact: true });
  await second.fill('ana@');
  await page.getByLabel('Date of birth').fill('1984-07-09');
  await page.getByRole('button', { name: 'Save personal details' }).click();
  await expect(await errorOf(page, second)).toContainText('not an email address');
  await second.fill('ana.work@pop.example');
  await page.getByRole('button', { name: 'Save personal details' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Ana Maria Pop' })).toBeVisible();
  await expect(page.getByText('ana.work@pop.example').first()).toBeVisible();
  await expect(page.getByText('Jul 9, 1984')).toBeVisible();
  // The new email has its own switches for the account, off by default.
  const sync = page.getByRole('checkbox', { name: 'Email sync for ana.work@pop.example' });
  await expect(sync).not.toBeChecked();
  await sync.check();
  // Reload only once the switch is stored (a reload can cut a write short).
  await expect.poll(async () => (await storedSwitches(page)).some((e) => e.email === 'ana.work@pop.example' && e.email_sync)).toBe(true);
  await page.reload();
  await expect(page.getByRole('checkbox', { name: 'Email sync for ana.work@pop.example' })).toBeChecked();
  errors.assertNone();
});

test('the edit form keeps what is typed, added fields too, while other changes are saved', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await createAccount(page, { first: 'Ana', last: 'Pop', email: 'ana@pop.example' });
  await expect(page.getByRole('heading', { level: 1, name: 'Ana Pop' })).toBeVisible();
  await page.getByRole('link', { name: 'Ana Pop' }).click();
  await page.getByRole('button', { name: 'Edit personal details' }).click();
  await page.getByLabel('Middle name').fill('Maria');
  await page.getByRole('button', { name: '+ Add email' }).click();
  await page.getByLabel('Email 2', { exact: true }).fill('ana.work@pop.example');
  // Switches saved meanwhile: each save reads the contact again and builds
  // the page anew.
  for (const name of ['Email sync for ana@pop.example', 'Notify for ana@pop.example']) {
    const box = page.getByRole('checkbox', { name });
    await box.check();
    await expect(box).toBeChecked();
  }
  await expect.poll(async () => (await storedSwitches(page)).some((e) => e.email_sync && e.notify)).toBe(true);
  await expect(page.getByLabel('Middle name')).toHaveValue('Maria');
  await expect(page.getByLabel('Email 2', { exact: true })).toHaveValue('ana.work@pop.example');
  // The field added before the rebuild still works.
  await page.getByLabel('Email 2', { exact: true }).fill('ana.office@pop.example');
  await page.getByRole('button', { name: 'Save personal details' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Ana Maria Pop' })).toBeVisible();
  await expect(page.getByText('ana.office@pop.example').first()).toBeVisible();
  // Opened again: what is stored, not what was typed before.
  await page.getByRole('button', { name: 'Edit personal details' }).click();
  await expect(page.getByLabel('Middle name')).toHaveValue('Maria');
  await expect(page.getByLabel('Email 2', { exact: true })).toHaveValue('ana.office@pop.example');
  errors.assertNone();
});

test('an email of another contact is refused on edit', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await createAccount(page, { first: 'Bob', last: 'One', email: 'bob@one.example' });
  await createAccount(page, { first: 'Cy', last: 'Two', email: 'cy@two.example' });
  await page.getByRole('link', { name: 'Cy Two' }).click();
  await page.getByRole('button', { name: 'Edit personal details' }).click();
  await page.getByLabel('Main email', { exact: true }).fill('BOB@one.example');
  await page.getByRole('button', { name: 'Save personal details' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'already belongs to another contact' })).toBeVisible();
  await page.reload();
  await expect(page.getByText('cy@two.example').first()).toBeVisible();
  errors.assertNone();
});

test('link a contact to another account, then unlink; the last contact stays', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await createAccount(page, { first: 'Dan', last: 'Three', email: 'dan@three.example' });
  await createAccount(page, { name: 'Three Family Trust', first: 'Eve', last: 'Three', email: 'eve@three.example' });
  await page.getByRole('link', { name: 'Eve Three' }).click();
  await page.getByRole('button', { name: 'Link to another account' }).click();
  await page.getByLabel('Find an account by name').fill('dan');
  await page.getByRole('button', { name: 'Link to Dan Three' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Eve Three' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Dan Three' })).toBeVisible();
  await expect(page.getByText('2 accounts')).toBeVisible();

  // Eve is the only contact of the trust: unlinking her there is refused.
  await page.getByRole('button', { name: 'Unlink from Three Family Trust' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'only contact' })).toBeVisible();
  // From Dan's account she can go.
  await page.getByRole('button', { name: 'Unlink from Dan Three' }).click();
  await expect(page.getByText('1 account', { exact: false }).first()).toBeVisible();
  await expect(page.getByRole('link', { name: 'Dan Three' })).toHaveCount(0);
  errors.assertNone();
});
