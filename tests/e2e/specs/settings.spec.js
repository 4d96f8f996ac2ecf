// Settings: the practice's tags, team, account roles, custom fields and
// folder templates. Add, edit, delete; bad input next to its field; edits
// made meanwhile in another tab are never overwritten; "view as" an employee
// makes Settings read-only.
import { test, expect } from '@playwright/test';
import { createAccount, errorOf, openApp, watchForErrors } from './helpers.js';

const section = (page, name) => page.getByRole('region', { name });

test('tags: add, refuse a duplicate, edit, cancel with Escape, delete; all kept after a reload', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  const tags = section(page, 'Tags');
  await expect(tags.getByText('No tags yet.')).toBeVisible();

  // Add: focus goes to the name; after saving, to the new tag's Edit button.
  await tags.getByRole('button', { name: 'Add tag' }).click();
  await expect(page.getByLabel('Tag name')).toBeFocused();
  await page.getByLabel('Tag name').fill('  VIP ');
  await page.getByLabel('Red', { exact: true }).check();
  await expect(tags.locator('.preview .tag-red')).toHaveText('VIP');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved tag VIP.' })).toBeVisible();
  const table = tags.getByRole('table', { name: 'Tags' });
  await expect(table.locator('.tag-red')).toHaveText('VIP');
  await expect(table.getByRole('cell', { name: 'not used' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Edit tag VIP' })).toBeFocused();

  // The same name, in another case and with accents, is refused next to the field.
  await tags.getByRole('button', { name: 'Add tag' }).click();
  const name = page.getByLabel('Tag name');
  await name.fill('víp');
  await page.keyboard.press('Enter');
  await expect(await errorOf(page, name)).toHaveText('A tag named víp already exists');
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(tags.getByRole('alert').first()).toContainText('Please correct this');
  // Escape closes the form without saving, focus back on "Add tag".
  await page.keyboard.press('Escape');
  await expect(page.getByLabel('Tag name')).toHaveCount(0);
  await expect(tags.getByRole('button', { name: 'Add tag' })).toBeFocused();
  await expect(table.getByRole('row')).toHaveCount(2);

  // Edit: rename and recolour.
  await page.getByRole('button', { name: 'Edit tag VIP' }).click();
  await expect(page.getByRole('heading', { name: 'Edit tag VIP' })).toBeVisible();
  await expect(page.getByLabel('Tag name')).toHaveValue('VIP');
  await expect(page.getByLabel('Red', { exact: true })).toBeChecked();
  await page.getByLabel('Tag name').fill('Priority');
  await page.getByLabel('Teal', { exact: true }).check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(table.locator('.tag-teal')).toHaveText('Priority');
  await expect(page.getByRole('button', { name: 'Edit tag Priority' })).toBeFocused();

  await page.reload();
  await expect(section(page, 'Tags').getByRole('table', { name: 'Tags' }).locator('.tag-teal')).toHaveText('Priority');

  // Delete asks first; Cancel keeps the tag.
  await page.getByRole('button', { name: 'Delete tag Priority' }).click();
  await expect(page.getByText('Delete tag Priority? Nothing uses it yet. This cannot be undone.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('button', { name: 'Delete tag Priority' })).toBeFocused();
  await page.getByRole('button', { name: 'Delete tag Priority' }).click();
  await page.getByRole('group', { name: /Delete tag Priority\?/ }).getByRole('button', { name: 'Delete tag Priority' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Deleted tag Priority.' })).toBeVisible();
  await expect(section(page, 'Tags').getByText('No tags yet.')).toBeVisible();
  await expect(section(page, 'Tags').getByRole('button', { name: 'Add tag' })).toBeFocused();
  await page.reload();
  await expect(section(page, 'Tags').getByText('No tags yet.')).toBeVisible();
  errors.assertNone();
});

test('team: the owner first, one owner only, bad email next to the field, view as an employee', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page, '#/settings');
  const team = section(page, 'Team');
  await expect(team.getByText('Start with yourself')).toBeVisible();

  // The first member is offered as the owner.
  await team.getByRole('button', { name: 'Add team member' }).click();
  await expect(page.getByLabel('Role', { exact: true })).toHaveValue('owner');
  await page.getByLabel('Name', { exact: true }).fill('Olga Owner');
  await page.getByLabel('Email', { exact: true }).fill('olga@firm.example');
  await page.getByRole('button', { name: 'Save' }).click();
  const table = team.getByRole('table', { name: 'Team' });
  await expect(table.getByRole('row', { name: /Olga Owner/ })).toContainText('Owner');
  await expect(team.getByText('Start with yourself')).toHaveCount(0);
  // The owner cannot be deleted, and stays the owner.
  await expect(page.getByRole('button', { name: 'Delete team member Olga Owner' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Edit team member Olga Owner' }).click();
  await expect(page.getByLabel('Role', { exact: true })).toBeDisabled();
  await page.getByRole('button', { name: 'Cancel' }).click();

  // A second member: no Owner to pick; a bad email is refused.
  await team.getByRole('button', { name: 'Add team member' }).click();
  await expect(page.getByLabel('Role', { exact: true }).locator('option')).toHaveText(['Admin', 'Employee']);
  await expect(page.getByLabel('Role', { exact: true })).toHaveValue('employee');
  await page.getByLabel('Name', { exact: true }).fill('Ann Employee');
  const email = page.getByLabel('Email', { exact: true });
  await email.fill('ann@');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(await errorOf(page, email)).toContainText('not an email address');
  await email.fill('OLGA@firm.example');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(await errorOf(page, email)).toHaveText('Another team member has this email');
  await email.fill('ann@firm.example');
  await page.getByLabel('Can edit accounts').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(table.getByRole('row', { name: /Ann Employee/ })).toContainText('Assigned accounts, can edit');

  // View as Ann: said in the sidebar on every page; Settings read-only.
  await page.getByRole('button', { name: 'View as Ann Employee' }).click();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByText('Viewing as Ann Employee (Employee)')).toBeVisible();
  await expect(page.getByText('Settings are read-only')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Add / })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Edit / })).toHaveCount(0);
  await nav.getByRole('link', { name: 'Clients' }).click();
  await expect(nav.getByText('Viewing as Ann Employee (Employee)')).toBeVisible();
  await nav.getByRole('button', { name: 'Back to my own view' }).click();
  await expect(nav.getByText('Viewing as')).toHaveCount(0);
  await nav.getByRole('link', { name: 'Settings' }).click();
  await expect(team.getByRole('button', { name: 'Add team member' })).toBeVisible();

  // Promoting Ann to admin: the employee switches are not asked.
  await page.getByRole('button', { name: 'Edit team member Ann Employee' }).click();
  await page.getByLabel('Role', { exact: true }).selectOption('admin');
  await expect(page.getByLabel('Can edit accounts')).toHaveCount(0);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(table.getByRole('row', { name: /Ann Employee/ })).toContainText('All accounts, can edit');
  await page.getByRole('button', { name: 'Delete team member Ann Employee' }).click();
  await page.getByRole('group', { name: /Delete team member/ }).getByRole('button', { name: 'Delete team member Ann Employee' }).click();
  await expect(table.getByRole('row', { name: /Ann Employee/ })).toHaveCount(0);
  errors.assertNone();
});

test('custom fields and folder templates: options and folders are checked', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page, '#/settings');
  const fields = section(page, 'Custom fields');

  await fields.getByRole('button', { name: 'Add account field' }).click();
  await expect(page.getByRole('heading', { name: 'New account field' })).toBeVisible();
  await page.getByLabel('Field name').fill('Billing');
  await page.getByLabel('Type', { exact: true }).selectOption('dropdown');
  const options = page.getByLabel('Options');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(await errorOf(page, options)).toHaveText('A dropdown needs at least one option');
  await options.fill('Monthly\n\nmonthly\nYearly');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(await errorOf(page, options)).toHaveText('The option monthly is listed twice');
  await options.fill(' Monthly \n\nYearly\n');
  await page.getByRole('button', { name: 'Save' }).click();
  const accountFields = fields.getByRole('table', { name: 'Account fields' });
  await expect(accountFields.getByRole('row', { name: /Billing/ })).toContainText('Dropdown: Monthly, Yearly');
  await expect(fields.getByText('No contact fields yet.')).toBeVisible();

  // The same name may be used once for accounts and once for contacts.
  await fields.getByRole('button', { name: 'Add contact field' }).click();
  await page.getByLabel('Field name').fill('billing');
  await page.getByLabel('Type', { exact: true }).selectOption('date');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(fields.getByRole('table', { name: 'Contact fields' }).getByRole('row', { name: /billing/ })).toContainText('Date');

  // Folder templates: forbidden characters are named; folders keep their order.
  const templates = section(page, 'Folder templates');
  await expect(templates.getByText('Default folder: Client uploaded documents')).toBeVisible();
  await templates.getByRole('button', { name: 'Add folder template' }).click();
  await page.getByLabel('Template name').fill('Payroll');
  const folders = page.getByLabel('Folders');
  await folders.fill('Payslips\nBank/Cash');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(await errorOf(page, folders)).toHaveText('Folder names cannot contain the character /');
  await folders.fill('Payslips\nBank statements\nTax returns');
  await page.getByRole('button', { name: 'Save' }).click();
  const row = templates.getByRole('table', { name: 'Folder templates' }).getByRole('row', { name: /Payroll/ });
  await expect(row.getByRole('listitem')).toHaveText(['Payslips', 'Bank statements', 'Tax returns']);

  // Account roles.
  const roles = section(page, 'Account roles');
  await roles.getByRole('button', { name: 'Add account role' }).click();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(await errorOf(page, page.getByLabel('Role name'))).toHaveText('Role name is required');
  await page.getByLabel('Role name').fill('Preparer');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(roles.getByRole('table', { name: 'Account roles' }).getByRole('cell', { name: 'Preparer', exact: true })).toBeVisible();

  await page.reload();
  await expect(section(page, 'Custom fields').getByRole('table', { name: 'Account fields' })).toContainText('Dropdown: Monthly, Yearly');
  await expect(section(page, 'Account roles').getByRole('cell', { name: 'Preparer', exact: true })).toBeVisible();
  errors.assertNone();
});

test('an edit made meanwhile in another tab is not overwritten', async ({ page, context }) => {
  const errors = watchForErrors(page);
  await openApp(page, '#/settings');
  await page.getByRole('button', { name: 'Add tag' }).click();
  await page.getByLabel('Tag name').fill('Late payer');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('button', { name: 'Edit tag Late payer' })).toBeVisible();

  // This tab starts editing...
  await page.getByRole('button', { name: 'Edit tag Late payer' }).click();
  await page.getByLabel('Tag name').fill('Slow payer');

  // ...while another tab renames the tag.
  const other = await context.newPage();
  await openApp(other, '#/settings');
  await other.getByRole('button', { name: 'Edit tag Late payer' }).click();
  await other.getByLabel('Tag name').fill('Pays late');
  await other.getByRole('button', { name: 'Save' }).click();
  await expect(other.getByRole('button', { name: 'Edit tag Pays late' })).toBeVisible();
  await other.close();

  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'changed in another tab' })).toBeVisible();
  // What was typed stays; the list shows what is stored.
  await expect(page.getByLabel('Tag name')).toHaveValue('Slow payer');
  await expect(page.getByRole('table', { name: 'Tags' }).locator('.tag')).toHaveText('Pays late');
  errors.assertNone();
});

test('names typed in Settings are shown as text, never run', async ({ page }) => {
  const errors = watchForErrors(page);
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs += 1;
    d.dismiss();
  });
  await openApp(page, '#/settings');
  await page.getByRole('button', { name: 'Add tag' }).click();
  await page.getByLabel('Tag name').fill('<img src=x onerror=alert(1)>');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('button', { name: 'Add account role' }).click();
  await page.getByLabel('Role name').fill('<b>bold</b>');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('table', { name: 'Tags' }).getByText('<img src=x onerror=alert(1)>')).toBeVisible();
  await expect(page.getByRole('cell', { name: '<b>bold</b>', exact: true })).toBeVisible();
  expect(await page.locator('main img').count()).toBe(0);
  expect(await page.locator('main b').count()).toBe(0);
  expect(dialogs).toBe(0);
  errors.assertNone();
});

/** Changes stored records directly (no page can set tags or custom values yet).
 * `change(data)` runs here in Node: the app's Content-Security-Policy
 * rightly forbids evaluating code strings in the page. */
async function editStore(page, change) {
  const withStore = (mode, data) =>
    page.evaluate(
      async ([mode, data]) => {
        const db = await new Promise((resolve, reject) => {
          const req = indexedDB.open('clientbook');
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        try {
          if (mode === 'read') {
            const all = (store) =>
              new Promise((resolve, reject) => {
                const req = db.transaction(store).objectStore(store).getAll();
                req.onsuccess = () => resolve(req.result);
                req.onerror = () => reject(req.error);
              });
            return { catalog: await all('catalog'), accounts: await all('accounts'), contacts: await all('contacts') };
          }
          const tx = db.transaction(['accounts', 'contacts', 'summary', 'lines'], 'readwrite');
          tx.objectStore('summary').clear();
          tx.objectStore('lines').clear();
          data.accounts.forEach((a) => tx.objectStore('accounts').put(a));
          data.contacts.forEach((c) => tx.objectStore('contacts').put(c));
          await new Promise((resolve, reject) => {
            tx.oncomplete = resolve;
            tx.onerror = () => reject(tx.error);
          });
          return null;
        } finally {
          db.close();
        }
      },
      [mode, data],
    );
  const data = await withStore('read', null);
  change(data);
  await withStore('write', data);
}

async function storedAccountAndContact(page) {
  return page.evaluate(async () => {
    const db = await new Promise((resolve) => {
      const req = indexedDB.open('clientbook');
      req.onsuccess = () => resolve(req.result);
    });
    const first = (store) =>
      new Promise((resolve) => {
        const req = db.transaction(store).objectStore(store).getAll();
        req.onsuccess = () => resolve(req.result[0]);
      });
    const out = { account: await first('accounts'), contact: await first('contacts') };
    db.close();
    return out;
  });
}

test('items in use: counts, a field type that stays, and deleting says and removes every use', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await createAccount(page, { first: 'Kate', last: 'Smith', email: 'kate@smith.example' });
  await expect(page.getByRole('heading', { level: 1, name: 'Kate Smith' })).toBeVisible();
  await page.goto('./#/settings');
  const add = async (button, fill) => {
    await page.getByRole('button', { name: button }).click();
    await fill();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('button', { name: 'Save' })).toHaveCount(0);
  };
  await add('Add tag', () => page.getByLabel('Tag name').fill('VIP'));
  await add('Add team member', async () => {
    await page.getByLabel('Name', { exact: true }).fill('Olga Owner');
    await page.getByLabel('Email', { exact: true }).fill('olga@firm.example');
  });
  await add('Add team member', async () => {
    await page.getByLabel('Name', { exact: true }).fill('Ann');
    await page.getByLabel('Email', { exact: true }).fill('ann@firm.example');
  });
  await add('Add account field', async () => {
    await page.getByLabel('Field name').fill('Billing');
    await page.getByLabel('Type', { exact: true }).selectOption('dropdown');
    await page.getByLabel('Options').fill('Monthly\nYearly');
  });
  await add('Add folder template', async () => {
    await page.getByLabel('Template name').fill('Payroll');
    await page.getByLabel('Folders').fill('Payslips');
  });

  await editStore(page, (data) => {
    const id = (name) => data.catalog.find((i) => (i.name ?? i.label) === name).id;
    const a = data.accounts[0];
    a.tags = [id('VIP')];
    a.team = [id('Ann')];
    a.custom = { [id('Billing')]: 'Monthly' };
    a.folder_template = id('Payroll');
    data.contacts[0].tags = [id('VIP')];
  });
  await page.reload();
  const row = (table, name) => page.getByRole('table', { name: table }).getByRole('row', { name: new RegExp(name) });
  await expect(row('Tags', 'VIP')).toContainText('1 account, 1 contact');
  await expect(row('Team', 'Ann')).toContainText('1 account');
  await expect(row('Account fields', 'Billing')).toContainText('1 account');
  await expect(row('Folder templates', 'Payroll')).toContainText('1 account');

  // Adding an item changes no record: the counts are kept, not read again
  // (seconds at 100,000 contacts); a delete counts again.
  const accountReads = () => page.evaluate(() => window.__accountReads);
  await page.evaluate(() => {
    window.__accountReads = 0;
    const getAll = IDBObjectStore.prototype.getAll;
    IDBObjectStore.prototype.getAll = function (...args) {
      if (this.name === 'accounts') window.__accountReads++;
      return getAll.apply(this, args);
    };
  });
  await add('Add tag', () => page.getByLabel('Tag name').fill('Spare'));
  await expect(row('Tags', 'Spare')).toContainText('not used');
  await expect(row('Tags', 'VIP')).toContainText('1 account, 1 contact');
  expect(await accountReads()).toBe(0);

  // A field holding values keeps its type; dropping an option in use is pointed out.
  await page.getByRole('button', { name: 'Edit custom field Billing' }).click();
  await expect(page.getByLabel('Type', { exact: true })).toBeDisabled();
  await expect(page.getByText('Records already hold values for this field')).toBeVisible();
  await page.getByLabel('Options').fill('Yearly\nQuarterly');
  await expect(page.getByText('Values in use that are no longer options: Monthly (1).')).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();

  // Deleting says what changes, then removes every use.
  await page.getByRole('button', { name: 'Delete tag VIP' }).click();
  await expect(page.getByText('Delete tag VIP? It is removed from 1 account, 1 contact. This cannot be undone.')).toBeVisible();
  await page.getByRole('group', { name: /Delete tag VIP\?/ }).getByRole('button', { name: 'Delete tag VIP' }).click();
  await page.getByRole('button', { name: 'Delete folder template Payroll' }).click();
  await expect(page.getByText('Accounts that use it (1 account) get the default folder (Client uploaded documents) instead.')).toBeVisible();
  await page.getByRole('group', { name: /Delete folder template/ }).getByRole('button', { name: 'Delete folder template Payroll' }).click();
  await page.getByRole('button', { name: 'Delete team member Ann' }).click();
  await expect(page.getByText('They are unassigned from 1 account.')).toBeVisible();
  await page.getByRole('group', { name: /Delete team member/ }).getByRole('button', { name: 'Delete team member Ann' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Deleted team member Ann.' })).toBeVisible();
  await expect.poll(accountReads).toBeGreaterThan(0);

  const { account, contact } = await storedAccountAndContact(page);
  expect(account.tags).toEqual([]);
  expect(contact.tags).toEqual([]);
  expect(account.team).toEqual([]);
  expect(account.folder_template ?? null).toBeNull();
  expect(Object.values(account.custom)).toEqual(['Monthly']);
  errors.assertNone();
});
