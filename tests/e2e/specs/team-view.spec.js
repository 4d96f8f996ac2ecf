// Viewing as a team member: an employee sees only accounts assigned to
// them (or all with "view all accounts") and cannot edit without "manage
// accounts"; owner and admins see and edit everything.
import { test, expect } from '@playwright/test';
import { createAccount, hexId, openApp, seedCatalog, watchForErrors } from './helpers.js';

test('an employee without rights: no access to unassigned accounts, no edits on assigned ones', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await createAccount(page, { first: 'Assigned', last: 'Client', email: 'a@client.example' });
  await expect(page.getByRole('heading', { level: 1, name: 'Assigned Client' })).toBeVisible();
  const assignedUrl = page.url();
  await createAccount(page, { first: 'Other', last: 'Client', email: 'o@client.example' });
  await expect(page.getByRole('heading', { level: 1, name: 'Other Client' })).toBeVisible();
  const otherUrl = page.url();
  await seedCatalog(page, [
    { item: 'Member', id: hexId(21), name: 'Olga Owner', email: 'olga@firm.example', role: 'Owner', view_all_accounts: true, manage_accounts: true },
    { item: 'Member', id: hexId(22), name: 'Emil Employee', email: 'emil@firm.example', role: 'Employee', view_all_accounts: false, manage_accounts: false },
  ]);

  // Assign Emil to the first account (as the owner).
  await page.goto(assignedUrl + '/info');
  await page.getByRole('button', { name: 'Edit account info' }).click();
  await page.getByRole('checkbox', { name: 'Emil Employee (Employee)' }).check();
  await page.getByRole('button', { name: 'Save account info' }).click();
  await expect(page.getByRole('region', { name: 'History of changes' }).getByText('Emil Employee assigned')).toBeVisible();

  await page.goto('./#/settings');
  await page.getByRole('button', { name: 'View as Emil Employee' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Back to my own view' })).toBeVisible();

  // The clients list and the search show only Emil's accounts.
  await page.goto('./#/clients');
  const table = page.getByRole('table', { name: 'Accounts' });
  await expect(table.getByRole('link', { name: 'Assigned Client' })).toBeVisible();
  await expect(table.getByRole('link', { name: 'Other Client' })).toHaveCount(0);
  await page.getByLabel('Search clients').fill('client');
  await expect(page.getByRole('option', { name: /Assigned Client/ }).first()).toBeVisible();
  await expect(page.getByRole('option', { name: /Other Client/ })).toHaveCount(0);
  await page.getByLabel('Search clients').press('Escape');

  await page.goto(otherUrl);
  await expect(page.getByRole('heading', { name: 'No access' })).toBeVisible();
  await page.goto(assignedUrl + '/info');
  await expect(page.getByRole('heading', { level: 1, name: 'Assigned Client' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Edit account info' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Archive account' })).toBeDisabled();
  await expect(page.getByRole('checkbox', { name: 'Login for a@client.example' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Create contact' })).toHaveCount(0);

  await page.goto('./#/new/account');
  await expect(page.getByRole('alert')).toContainText('cannot manage accounts');
  await page.goto(assignedUrl + '/info');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Back to my own view' }).click();
  await expect(page.getByRole('button', { name: 'Edit account info' })).toBeEnabled();
  await page.goto(otherUrl);
  await expect(page.getByRole('heading', { level: 1, name: 'Other Client' })).toBeVisible();
  errors.assertNone();
});
