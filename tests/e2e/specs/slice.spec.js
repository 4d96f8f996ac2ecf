// The first vertical slice: New → Account with one contact, the Clients
// list, the account profile, and that a reload keeps everything.
import { test, expect } from '@playwright/test';
import { createAccount, errorOf, openApp, watchForErrors } from './helpers.js';

test('create an account, see it listed, open it, reload: all still there', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await expect(page.getByText('No client accounts yet.')).toBeVisible();

  await createAccount(page, { first: 'Kate', last: 'Müller', email: 'kate@example.com' });

  // The new account's profile opens, named after its contact.
  await expect(page.getByRole('heading', { level: 1, name: 'Kate Müller' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Kate Müller' })).toBeVisible();
  await expect(page.getByText('kate@example.com')).toBeVisible();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
  const table = page.getByRole('table', { name: 'Accounts' });
  await expect(table.getByRole('link', { name: 'Kate Müller' })).toBeVisible();
  await expect(table.getByRole('cell', { name: 'Individual' })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('table', { name: 'Accounts' }).getByRole('link', { name: 'Kate Müller' })).toBeVisible();
  await page.getByRole('link', { name: 'Kate Müller' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Kate Müller' })).toBeVisible();

  // A deep link survives a reload too.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Kate Müller' })).toBeVisible();
  await expect(page.getByText('kate@example.com')).toBeVisible();

  // The contact's own page lists the account.
  await page.getByRole('link', { name: 'Kate Müller' }).first().click();
  await expect(page.getByRole('heading', { name: 'Accounts' })).toBeVisible();
  errors.assertNone();
});

test('bad input gets a clear message next to the field and nothing is written', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);

  // Forbidden character in the account name: refused at step 1, naming it.
  await page.getByRole('button', { name: '+ New' }).click();
  await page.getByRole('menuitem', { name: 'Account' }).click();
  await page.getByLabel('Account name').fill('Smith/Family');
  await page.getByRole('button', { name: 'Continue' }).click();
  const name = page.getByLabel('Account name');
  await expect(await errorOf(page, name)).toContainText('Account name cannot contain the character /');
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Account name').fill('');
  await page.getByRole('button', { name: 'Continue' }).click();

  // Empty names and a malformed email: every problem is shown.
  const email = page.getByLabel('Email', { exact: true });
  await email.fill('kate@');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(await errorOf(page, page.getByLabel('First name'))).toHaveText('First name is required');
  await expect(await errorOf(page, page.getByLabel('Last name'))).toHaveText('Last name is required');
  await expect(await errorOf(page, email)).toContainText('not an email address');
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('.banner.error')).toHaveText('Please correct 3 fields marked below. Nothing was saved.');

  // Nothing was written.
  await page.goto('./#/clients');
  await expect(page.getByText('No client accounts yet.')).toBeVisible();
  errors.assertNone();
});

test('an email that belongs to another contact is pointed out, with the option to link that contact', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await createAccount(page, { first: 'Kate', last: 'Smith', email: 'kate@smith.example' });
  await expect(page.getByRole('heading', { level: 1, name: 'Kate Smith' })).toBeVisible();

  await page.getByRole('button', { name: '+ New' }).click();
  await page.getByRole('menuitem', { name: 'Account' }).click();
  await page.getByLabel('Company', { exact: true }).check();
  await page.getByLabel('Company name').fill("Kate's LLC");
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('First name').fill('Katie');
  await page.getByLabel('Last name').fill('Smith');
  await page.getByLabel('Email', { exact: true }).fill('KATE@smith.example');
  await page.getByLabel('Phone').focus();
  await expect(page.getByText('KATE@smith.example already belongs to Kate Smith.')).toBeVisible();
  await page.getByRole('button', { name: 'Link Kate Smith instead' }).click();
  await page.getByRole('button', { name: 'Create account' }).click();

  await expect(page.getByRole('heading', { level: 1, name: "Kate's LLC" })).toBeVisible();
  await page.getByRole('link', { name: 'Kate Smith' }).click();
  await expect(page.getByRole('link', { name: "Kate's LLC" })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Kate Smith', exact: true })).toBeVisible();
  errors.assertNone();
});

test('text typed by users is shown as text, never run', async ({ page }) => {
  const errors = watchForErrors(page);
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs += 1;
    d.dismiss();
  });
  await openApp(page);
  await createAccount(page, { name: 'Evil Corp', first: '<img src=x onerror=alert(1)>', last: '<b>bold</b>', email: '' });
  await expect(page.getByRole('heading', { level: 1, name: 'Evil Corp' })).toBeVisible();
  await expect(page.getByText('<img src=x onerror=alert(1)> <b>bold</b>')).toBeVisible();
  expect(await page.locator('main img').count()).toBe(0);
  expect(await page.locator('main b').count()).toBe(0);
  expect(dialogs).toBe(0);
  errors.assertNone();
});
