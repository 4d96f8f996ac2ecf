// The sidebar search: accent- and case-insensitive, by name or any part of
// any email, grouped, and driven by the keyboard (ARIA combobox + listbox).
import { test, expect } from '@playwright/test';
import { createAccount, openApp, watchForErrors } from './helpers.js';
import { accountRecord, contactRecord, linkRecord, seed } from './seed.js';

const box = (page) => page.getByRole('combobox', { name: 'Search clients' });
const results = (page) => page.getByRole('listbox', { name: 'Search results' });

async function someClients(page) {
  await createAccount(page, { first: 'Hans', last: 'Müller', email: 'hans@mueller-steuer.example' });
  await expect(page.getByRole('heading', { level: 1, name: 'Hans Müller' })).toBeVisible();
  await createAccount(page, { type: 'Company', company: 'Sofía Ortega SL', first: 'Sofía', last: 'Ortega', email: 'sofia@ortega.example' });
  await expect(page.getByRole('heading', { level: 1, name: 'Sofía Ortega SL' })).toBeVisible();
  await createAccount(page, { first: 'Peter', last: 'Muller', email: 'peter@muller.example' });
  await expect(page.getByRole('heading', { level: 1, name: 'Peter Muller' })).toBeVisible();
}

test('finds accounts and contacts ignoring case and accents, grouped', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await someClients(page);

  await box(page).fill('muller');
  await expect(box(page)).toHaveAttribute('aria-expanded', 'true');
  const accounts = results(page).getByRole('group', { name: 'Accounts' });
  const contacts = results(page).getByRole('group', { name: 'Contacts' });
  await expect(accounts.getByRole('option')).toHaveText([/Hans Müller/, /Peter Muller/]);
  await expect(contacts.getByRole('option')).toHaveText([/Hans Müller/, /Peter Muller/]);
  // A contact result names its accounts.
  await expect(contacts.getByRole('option', { name: /Hans Müller/ })).toContainText('Accounts: Hans Müller');

  await box(page).fill('SOFIA');
  await expect(accounts.getByRole('option')).toHaveText([/Sofía Ortega SL/]);
  await expect(contacts.getByRole('option')).toHaveText([/Sofía Ortega/]);
  await expect(contacts.getByRole('option')).toContainText('Accounts: Sofía Ortega SL');

  // Any part of any email.
  await box(page).fill('mueller-st');
  await expect(accounts).toHaveCount(0);
  await expect(contacts.getByRole('option')).toHaveText([/Hans Müller.*hans@mueller-steuer\.example/]);

  await box(page).fill('nobody at all');
  await expect(page.locator('.search-status')).toHaveText('No accounts or contacts match.');
  await expect(results(page).getByRole('option')).toHaveCount(0);

  // Escape clears and closes.
  await box(page).press('Escape');
  await expect(box(page)).toHaveValue('');
  await expect(box(page)).toHaveAttribute('aria-expanded', 'false');
  await expect(results(page)).toHaveCount(0);

  // Clicking a result opens it.
  await box(page).fill('ortega');
  await accounts.getByRole('option', { name: /Sofía Ortega SL/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sofía Ortega SL' })).toBeVisible();
  await expect(box(page)).toHaveValue('');
  errors.assertNone();
});

test('keyboard: / focuses, arrows move across groups and wrap, Enter opens', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await someClients(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
  await expect(page.getByRole('table', { name: 'Accounts' })).toBeVisible();

  // `/` outside a text field focuses the search box (and is not typed).
  await page.locator('main h1').click();
  await page.keyboard.press('/');
  await expect(box(page)).toBeFocused();
  await expect(box(page)).toHaveValue('');
  await page.keyboard.type('müll');
  const options = results(page).getByRole('option');
  await expect(options).toHaveCount(4); // 2 accounts, 2 contacts

  const active = async () => {
    const id = await box(page).getAttribute('aria-activedescendant');
    if (!id) return null;
    const option = page.locator(`[id="${id}"]`);
    await expect(option).toHaveAttribute('aria-selected', 'true');
    return (await option.locator('.option-name').textContent()) + (await option.evaluate((o) => (o.closest('[role=group]').getAttribute('aria-labelledby').endsWith('accounts') ? ' (account)' : ' (contact)')));
  };
  expect(await active()).toBeNull();
  await page.keyboard.press('ArrowDown');
  expect(await active()).toBe('Hans Müller (account)');
  await page.keyboard.press('ArrowDown');
  expect(await active()).toBe('Peter Muller (account)');
  await page.keyboard.press('ArrowDown'); // into the Contacts group
  expect(await active()).toBe('Hans Müller (contact)');
  await page.keyboard.press('ArrowDown');
  expect(await active()).toBe('Peter Muller (contact)');
  await page.keyboard.press('ArrowDown'); // wraps to the top
  expect(await active()).toBe('Hans Müller (account)');
  await page.keyboard.press('ArrowUp'); // and back to the bottom
  expect(await active()).toBe('Peter Muller (contact)');
  await expect(page.locator('[aria-selected="true"]')).toHaveCount(1);

  // Enter opens the contact's page and clears the box.
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/contacts\/[0-9a-f]{32}$/);
  await expect(page.getByRole('heading', { name: 'Peter Muller' })).toBeVisible();
  await expect(box(page)).toHaveValue('');

  // `/` typed in another text field stays there.
  await page.getByRole('button', { name: '+ New' }).click();
  await page.getByRole('menuitem', { name: 'Account' }).click();
  await page.getByLabel('Account name').fill('A/B');
  await expect(page.getByLabel('Account name')).toHaveValue('A/B');
  await expect(box(page)).not.toBeFocused();

  // Enter without choosing opens the first result: an account profile.
  await page.locator('main h1').click();
  await page.keyboard.press('/');
  await page.keyboard.type('peter');
  await expect(options.first()).toContainText('Peter Muller');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/accounts\/[0-9a-f]{32}$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Peter Muller' })).toBeVisible();
  errors.assertNone();
});

test('results update after a write and list at most 8 per group', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  const accounts = [];
  const contacts = [];
  const links = [];
  for (let i = 0; i < 12; i++) {
    const a = accountRecord({ name: `Schäfer ${String(i).padStart(2, '0')}` });
    const c = contactRecord({ first: 'Jörg', last: `Schäfer${i}`, email: `joerg${i}@schaefer.example` });
    accounts.push(a);
    contacts.push(c);
    links.push(linkRecord({ account: a.id, contact: c.id, email: c.emails[0] }));
  }
  await seed(page, { accounts, contacts, links });
  await page.reload();
  await box(page).fill('schafer');
  const group = results(page).getByRole('group', { name: 'Accounts' });
  await expect(group.getByRole('option')).toHaveCount(8);
  await expect(group).toContainText('and 4 more');
  await expect(page.locator('.search-status')).toHaveText('12 accounts, 12 contacts');
  await box(page).press('Escape');

  // A new account is found without a reload.
  await createAccount(page, { first: 'Anna', last: 'Łukasiewicz', email: 'anna@example.org' });
  await expect(page.getByRole('heading', { level: 1, name: 'Anna Łukasiewicz' })).toBeVisible();
  await box(page).fill('lukasie');
  await expect(results(page).getByRole('group', { name: 'Accounts' }).getByRole('option')).toHaveText([/Anna Łukasiewicz/]);
  errors.assertNone();
});

test('options are kept from key to key: their text changes in place, and clicks on them still open the right one', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  const accounts = [];
  const contacts = [];
  const links = [];
  for (const [first, last] of [['Karl', 'Berger'], ['Karla', 'Bergmann'], ['Karin', 'Berg'], ['Kasper', 'Bernard']]) {
    const a = accountRecord({ name: `${first} ${last}` });
    const c = contactRecord({ first, last, email: `${first.toLowerCase()}@${last.toLowerCase()}.example` });
    accounts.push(a);
    contacts.push(c);
    links.push(linkRecord({ account: a.id, contact: c.id, email: c.emails[0] }));
  }
  await seed(page, { accounts, contacts, links });
  await page.reload();
  const group = results(page).getByRole('group', { name: 'Accounts' });
  await box(page).pressSequentially('ka');
  await expect(group.getByRole('option')).toHaveCount(4);
  await page.evaluate(() => document.querySelectorAll('#client-search-results [role=option]').forEach((o) => { o.__mark = true; }));
  // Narrowing: the first options are the same elements with new text.
  await box(page).pressSequentially('rl');
  await expect(group.getByRole('option')).toHaveText([/Karl Berger/, /Karla Bergmann/]);
  expect(await page.evaluate(() => [...document.querySelectorAll('#client-search-results [role=option]')].every((o) => o.__mark))).toBe(true);
  // Keyboard: the active option is announced through aria-activedescendant.
  await box(page).press('ArrowDown');
  await box(page).press('ArrowDown');
  const active = await box(page).getAttribute('aria-activedescendant');
  await expect(page.locator(`[id="${active}"]`)).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator(`[id="${active}"]`)).toContainText('Karla Bergmann');
  // Widening again keeps those two and adds the others after them.
  await box(page).press('Backspace');
  await box(page).press('Backspace');
  await expect(group.getByRole('option')).toHaveCount(4);
  expect(await group.evaluate((g) => [...g.querySelectorAll('[role=option]')].map((o) => Boolean(o.__mark)))).toEqual([true, true, false, false]);
  // A click opens the option's current result (one listener for all).
  await box(page).pressSequentially('sp');
  await expect(group.getByRole('option')).toHaveText([/Kasper Bernard/]);
  await group.getByRole('option', { name: /Kasper Bernard/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Kasper Bernard' })).toBeVisible();
  errors.assertNone();
});
