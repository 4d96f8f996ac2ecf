// New → Account with the practice's catalog: tags, folder template and
// custom fields in step 1, contact tags and fields in step 2, and the
// portal invitation offered after creation when Login is on.
import { test, expect } from '@playwright/test';
import { errorOf, hexId, openApp, seedCatalog, watchForErrors } from './helpers.js';

test('tags, folder template, custom fields; invitation offered after creation', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await seedCatalog(page, [
    { item: 'Tag', id: hexId(11), name: 'Payroll', color: 'green' },
    { item: 'Field', id: hexId(12), target: 'Account', label: 'Fiscal year end', kind: 'Date' },
    { item: 'Field', id: hexId(13), target: 'Account', label: 'Billing', kind: { Dropdown: ['Monthly', 'Yearly'] } },
    { item: 'Field', id: hexId(14), target: 'Contact', label: 'Client since', kind: 'Number' },
    { item: 'Template', id: hexId(15), name: 'Company files', folders: ['Payroll', 'Year-end'] },
  ]);
  await page.getByRole('button', { name: '+ New' }).click();
  await page.getByRole('menuitem', { name: 'Account' }).click();
  await page.getByLabel('Company', { exact: true }).check();
  await page.getByLabel('Company name').fill('Pop Design SRL');
  await page.getByRole('checkbox', { name: 'Payroll' }).check();
  await page.getByLabel('Folder template').selectOption({ label: 'Company files' });
  await page.getByLabel('Billing').selectOption('Yearly');
  await page.getByLabel('Fiscal year end').fill('2025-12-31');
  await page.getByRole('button', { name: 'Continue' }).click();

  await page.getByLabel('First name').fill('Ioana');
  await page.getByLabel('Last name').fill('Pop');
  await page.getByLabel('Email', { exact: true }).fill('ioana@pop.example');
  await page.getByLabel('Client since').fill('twenty');
  await page.getByLabel('Login (portal access)').check();
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(await errorOf(page, page.getByLabel('Client since'))).toHaveText('Client since must be a number');
  await page.getByLabel('Client since').fill('2019');
  await page.getByRole('button', { name: 'Create account' }).click();

  await expect(page.getByRole('heading', { name: 'Invite to the client portal?' })).toBeVisible();
  await page.getByLabel('Personal message (optional)').fill('Glad to work with you.');
  await page.getByRole('button', { name: 'Invite ioana@pop.example' }).click();
  await expect(page.getByText('Invitation recorded')).toBeVisible();
  await page.getByRole('link', { name: 'Done: open the account' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Pop Design SRL' })).toBeVisible();
  await expect(page.locator('.profile-header').getByText('Payroll')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Login activity' }).getByText(/Invited .* not activated yet/)).toBeVisible();
  await page.getByRole('navigation', { name: 'Account sections' }).getByRole('link', { name: 'Info' }).click();
  const facts = page.getByRole('region', { name: 'Account info' });
  await expect(facts.getByText('Company files: Payroll, Year-end')).toBeVisible();
  await expect(facts.getByText('Yearly')).toBeVisible();
  // Dates and numbers are shown in the interface language's format.
  await expect(facts.getByText('Dec 31, 2025')).toBeVisible();
  await page.getByRole('region', { name: /^Contacts/ }).getByRole('link', { name: 'Ioana Pop' }).click();
  await expect(page.getByText('2,019')).toBeVisible();
  errors.assertNone();
});

test('without a template the default folder is used', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await page.getByRole('button', { name: '+ New' }).click();
  await page.getByRole('menuitem', { name: 'Account' }).click();
  await expect(page.getByText('Default: one top-level folder, “Client uploaded documents”.')).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('First name').fill('Radu');
  await page.getByLabel('Last name').fill('Ene');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Radu Ene' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Account sections' }).getByRole('link', { name: 'Info' }).click();
  await expect(page.getByText('Default: Client uploaded documents')).toBeVisible();
  errors.assertNone();
});

test('step 2 links an existing contact found by part of an email, accent-insensitively', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await page.getByRole('button', { name: '+ New' }).click();
  await page.getByRole('menuitem', { name: 'Account' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('First name').fill('José');
  await page.getByLabel('Last name').fill('Núñez');
  await page.getByLabel('Email', { exact: true }).fill('jose@nunez.example');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'José Núñez' })).toBeVisible();

  await page.getByRole('button', { name: '+ New' }).click();
  await page.getByRole('menuitem', { name: 'Account' }).click();
  await page.getByLabel('Company', { exact: true }).check();
  await page.getByLabel('Company name').fill('Núñez Imports');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Link an existing contact instead' }).click();
  await page.getByLabel('Find a contact by name or email').fill('nunez.ex');
  await page.getByRole('button', { name: 'Link José Núñez' }).click();
  await expect(page.getByText('(existing contact, will be linked)')).toBeVisible();
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Núñez Imports' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Account sections' }).getByRole('link', { name: 'Info' }).click();
  await expect(page.getByRole('region', { name: 'Linked accounts' }).getByRole('link', { name: 'José Núñez' })).toBeVisible();
  errors.assertNone();
});
