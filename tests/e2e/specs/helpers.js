import { expect } from '@playwright/test';

/** Fails the test on any uncaught page error or console error. */
export function watchForErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
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
