// The account profile: Overview (notes, login activity) and Info (account
// info, edit, archive, history, roles, linked accounts, photo, contacts with
// per-email switches, invitations, unlink rule, create and link contacts).
import { test, expect } from '@playwright/test';
import { createAccount, errorOf, hexId, openApp, seedCatalog, watchForErrors } from './helpers.js';

async function newAccount(page, first = 'Kate', last = 'Smith', email = 'kate@smith.example') {
  await openApp(page);
  await createAccount(page, { first, last, email });
  await expect(page.getByRole('heading', { level: 1, name: `${first} ${last}` })).toBeVisible();
}

const info = (page) => page.getByRole('navigation', { name: 'Account sections' }).getByRole('link', { name: 'Info' });

test('notes: add, edit, delete; the five latest with View all', async ({ page }) => {
  const errors = watchForErrors(page);
  await newAccount(page);
  const notes = page.getByRole('region', { name: /Notes/ });
  for (let i = 1; i <= 6; i += 1) {
    await page.getByLabel('New note').fill(`Note number ${i}`);
    await page.getByRole('button', { name: 'Add note' }).click();
    await expect(notes.getByRole('heading', { name: `Notes (${i})` })).toBeVisible();
  }
  await expect(notes.locator('.note')).toHaveCount(5);
  await expect(notes.getByText('Note number 6')).toBeVisible();
  await expect(notes.getByText('Note number 1')).toHaveCount(0);
  await notes.getByRole('button', { name: 'View all 6 notes' }).click();
  await expect(notes.locator('.note')).toHaveCount(6);

  // An empty note is refused next to the field.
  await page.getByLabel('New note').fill('   ');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(await errorOf(page, page.getByLabel('New note'))).toHaveText('A note cannot be empty');

  const first = notes.locator('.note').filter({ hasText: 'Note number 6' });
  await first.getByRole('button', { name: 'Edit' }).click();
  await notes.getByLabel('Edit note').fill('Called about the 2025 return');
  await notes.getByRole('button', { name: 'Save note' }).click();
  await expect(notes.getByText('Called about the 2025 return')).toBeVisible();
  await expect(notes.getByText('(edited)')).toBeVisible();

  const second = notes.locator('.note').filter({ hasText: 'Note number 5' });
  await second.getByRole('button', { name: 'Delete' }).click();
  await second.getByRole('button', { name: 'Delete note' }).click();
  await expect(notes.getByRole('heading', { name: 'Notes (5)' })).toBeVisible();
  await page.reload();
  await expect(page.getByText('Called about the 2025 return')).toBeVisible();
  await expect(page.getByText('Note number 5')).toHaveCount(0);
  errors.assertNone();
});

test('edit account info: validation, type change, address, archive and restore, history', async ({ page }) => {
  const errors = watchForErrors(page);
  await newAccount(page);
  await info(page).click();
  await page.getByRole('button', { name: 'Edit account info' }).click();
  const name = page.getByLabel('Account name');
  await name.fill('Smith: Family');
  await page.getByRole('button', { name: 'Save account info' }).click();
  await expect(await errorOf(page, name)).toContainText('cannot contain the character :');
  await name.fill('Smith Holdings');
  await page.getByLabel('Company', { exact: true }).check();
  await page.getByLabel('Company name').fill('Smith Holdings SRL');
  await page.getByLabel('City').fill('Cluj-Napoca');
  await page.getByLabel('Country').fill('România');
  await page.getByRole('button', { name: 'Save account info' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Smith Holdings' })).toBeVisible();
  const facts = page.getByRole('region', { name: 'Account info' });
  await expect(facts.getByText('Cluj-Napoca, România')).toBeVisible();
  await expect(facts.getByText('Smith Holdings SRL')).toBeVisible();
  const history = page.getByRole('region', { name: 'History of changes' });
  await expect(history.getByText('Name changed from “Kate Smith” to “Smith Holdings”')).toBeVisible();
  await expect(history.getByText('Type changed from Individual to Company')).toBeVisible();
  await expect(history.getByText('Address changed')).toBeVisible();

  await page.getByRole('button', { name: 'Archive account' }).click();
  await expect(page.locator('.profile-header').getByText('Archived')).toBeVisible();
  await expect(history.getByText('Account archived')).toBeVisible();
  await page.getByRole('button', { name: 'Restore account' }).click();
  await expect(page.locator('.profile-header').getByText('Archived')).toHaveCount(0);
  await expect(history.getByText('Account restored')).toBeVisible();
  await expect(history.getByText('Account created')).toHaveCount(0); // beyond the five latest
  await history.getByRole('button', { name: /View all \d+ changes/ }).click();
  await expect(history.getByText('Account created')).toBeVisible();
  errors.assertNone();
});

test('contacts: switches persist, description, signer priority, create, unlink, never the last', async ({ page }) => {
  const errors = watchForErrors(page);
  await newAccount(page);
  await info(page).click();
  const contacts = page.getByRole('region', { name: /^Contacts/ });

  await contacts.getByRole('checkbox', { name: 'Email sync for kate@smith.example' }).check();
  await contacts.getByRole('checkbox', { name: 'Notify for kate@smith.example' }).check();
  await contacts.getByRole('button', { name: 'Edit description' }).click();
  await contacts.getByLabel('Description for this account').fill('Primary contact');
  await contacts.getByRole('button', { name: 'Save description' }).click();
  await contacts.getByLabel('Signer priority').selectOption('1');
  await expect(contacts.getByText('Primary contact')).toBeVisible();

  // Create a second contact, with a bad email first.
  await contacts.getByRole('button', { name: 'Create contact' }).click();
  await contacts.getByLabel('First name').fill('John');
  await contacts.getByLabel('Last name').fill('Adams');
  await contacts.getByLabel('Email', { exact: true }).fill('john@');
  await contacts.getByRole('button', { name: 'Add contact' }).click();
  await expect(await errorOf(page, contacts.getByLabel('Email', { exact: true }))).toContainText('not an email address');
  await contacts.getByLabel('Email', { exact: true }).fill('kate@SMITH.example');
  await contacts.getByRole('button', { name: 'Add contact' }).click();
  await expect(await errorOf(page, contacts.getByLabel('Email', { exact: true }))).toContainText('already belongs to another contact');
  await contacts.getByLabel('Email', { exact: true }).fill('john@adams.example');
  await contacts.getByRole('button', { name: 'Add contact' }).click();
  await expect(contacts.getByRole('heading', { name: 'Contacts (2)' })).toBeVisible();
  // Alphabetical by last name: Adams before Smith.
  await expect(contacts.locator('.contact-name')).toHaveText(['John Adams', 'Kate Smith']);

  await page.reload();
  await expect(contacts.getByRole('checkbox', { name: 'Email sync for kate@smith.example' })).toBeChecked();
  await expect(contacts.getByRole('checkbox', { name: 'Notify for kate@smith.example' })).toBeChecked();
  await expect(contacts.getByRole('checkbox', { name: 'Login for kate@smith.example' })).not.toBeChecked();
  await expect(contacts.getByText('Primary contact')).toBeVisible();
  await expect(contacts.locator('.contact-card').filter({ hasText: 'Kate Smith' }).getByLabel('Signer priority')).toHaveValue('1');

  await contacts.getByRole('button', { name: 'Unlink John Adams' }).click();
  await expect(contacts.getByRole('heading', { name: 'Contacts (1)' })).toBeVisible();
  await contacts.getByRole('button', { name: 'Unlink Kate Smith' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'only contact' })).toBeVisible();
  await page.reload();
  await expect(contacts.getByRole('heading', { name: 'Contacts (1)' })).toBeVisible();
  const history = page.getByRole('region', { name: 'History of changes' });
  await expect(history.getByText('Contact John Adams unlinked')).toBeVisible();
  errors.assertNone();
});

test('a contact form opened while a change is being saved stays open, with what was typed', async ({ page }) => {
  const errors = watchForErrors(page);
  await newAccount(page);
  await info(page).click();
  const contacts = page.getByRole('region', { name: /^Contacts/ });
  await contacts.getByRole('button', { name: 'Create contact' }).click();
  await contacts.getByLabel('First name').fill('John');
  await contacts.getByLabel('Last name').fill('Adams');
  await contacts.getByRole('button', { name: 'Link existing contact' }).click();
  // Changes saved meanwhile: after each the profile is read again and its
  // view made anew (the header's badge says when that has happened).
  await contacts.getByRole('checkbox', { name: 'Email sync for kate@smith.example' }).check();
  await page.getByRole('button', { name: 'Archive account' }).click();
  await expect(page.locator('.profile-header').getByText('Archived')).toBeVisible();
  await page.getByRole('button', { name: 'Restore account' }).click();
  await expect(page.locator('.profile-header').getByText('Archived')).toHaveCount(0);
  await expect(contacts.getByLabel('First name')).toHaveValue('John');
  await expect(contacts.getByLabel('Last name')).toHaveValue('Adams');
  await expect(contacts.getByRole('heading', { name: 'Link an existing contact' })).toBeVisible();
  // Adding the contact closes and empties the form.
  await contacts.getByLabel('Email', { exact: true }).fill('john@adams.example');
  await contacts.getByRole('button', { name: 'Add contact' }).click();
  await expect(contacts.getByRole('heading', { name: 'Contacts (2)' })).toBeVisible();
  await contacts.getByRole('button', { name: 'Create contact' }).click();
  await expect(contacts.getByLabel('First name')).toHaveValue('');
  errors.assertNone();
});

test('every form on the profile keeps what is open and typed while other changes are saved', async ({ page }) => {
  const errors = watchForErrors(page);
  await newAccount(page);
  // Overview: a new note being typed, a note being edited, the notes expanded.
  const notes = page.getByRole('region', { name: /Notes/ });
  for (let i = 1; i <= 6; i += 1) {
    await page.getByLabel('New note').fill(`Note ${i}`);
    await page.getByRole('button', { name: 'Add note' }).click();
    await expect(notes.getByRole('heading', { name: `Notes (${i})` })).toBeVisible();
  }
  await notes.getByRole('button', { name: 'View all 6 notes' }).click();
  await notes.locator('.note').filter({ hasText: 'Note 1' }).getByRole('button', { name: 'Edit' }).click();
  await notes.getByLabel('Edit note').fill('Note 1, half rewritten');
  await page.getByLabel('New note').fill('Half a thought');
  // Another note deleted meanwhile: the profile is read again and built anew.
  const six = notes.locator('.note').filter({ hasText: 'Note 6' });
  await six.getByRole('button', { name: 'Delete' }).click();
  await six.getByRole('button', { name: 'Delete note' }).click();
  await expect(notes.getByRole('heading', { name: 'Notes (5)' })).toBeVisible();
  await expect(page.getByLabel('New note')).toHaveValue('Half a thought');
  await expect(notes.getByLabel('Edit note')).toHaveValue('Note 1, half rewritten');
  await expect(notes.locator('.note')).toHaveCount(5);
  await notes.getByRole('button', { name: 'Save note' }).click();
  await expect(notes.getByText('Note 1, half rewritten')).toBeVisible();

  // Info: the account form, a role being named, a description, an invitation
  // message and the notification types, all open while switches are saved.
  await info(page).click();
  const contacts = page.getByRole('region', { name: /^Contacts/ });
  await page.getByRole('button', { name: 'Edit account info' }).click();
  await page.getByLabel('Account name').fill('Smith household');
  await page.getByLabel('City').fill('Cluj');
  await page.getByLabel('New role').fill('Bookkeeper');
  await contacts.getByRole('button', { name: 'Edit description' }).click();
  await contacts.getByLabel('Description for this account').fill('Spouse');
  await contacts.getByRole('checkbox', { name: 'Login for kate@smith.example' }).check();
  await contacts.getByLabel('Personal message (optional)').fill('Welcome');
  await contacts.locator('details.prefs summary').click();
  const invoices = contacts.getByRole('checkbox', { name: 'Invoices' });
  const invoicesBefore = await invoices.isChecked();
  await invoices.setChecked(!invoicesBefore);
  await contacts.getByRole('checkbox', { name: 'Email sync for kate@smith.example' }).check();
  // Saved for sure once the archive and restore after them show.
  await page.getByRole('button', { name: 'Archive account' }).click();
  await expect(page.locator('.profile-header').getByText('Archived')).toBeVisible();
  await page.getByRole('button', { name: 'Restore account' }).click();
  await expect(page.locator('.profile-header').getByText('Archived')).toHaveCount(0);
  await expect(page.getByLabel('Account name')).toHaveValue('Smith household');
  await expect(page.getByLabel('City')).toHaveValue('Cluj');
  await expect(page.getByLabel('New role')).toHaveValue('Bookkeeper');
  await expect(contacts.getByLabel('Description for this account')).toHaveValue('Spouse');
  await expect(contacts.getByLabel('Personal message (optional)')).toHaveValue('Welcome');
  await expect(contacts.locator('details.prefs')).toHaveAttribute('open', '');
  await expect(invoices).toBeChecked({ checked: !invoicesBefore });
  await expect(contacts.getByRole('checkbox', { name: 'Email sync for kate@smith.example' })).toBeChecked();

  // Saved and closed, the form opens next time with what is stored.
  await page.getByRole('button', { name: 'Save account info' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Smith household' })).toBeVisible();
  await page.getByRole('button', { name: 'Edit account info' }).click();
  await expect(page.getByLabel('Account name')).toHaveValue('Smith household');
  await page.getByLabel('Account name').fill('Thrown away');
  await page.getByRole('button', { name: 'Cancel' }).first().click();
  await page.getByRole('button', { name: 'Edit account info' }).click();
  await expect(page.getByLabel('Account name')).toHaveValue('Smith household');
  errors.assertNone();
});

test('portal invitation: Login asks to invite; invite, then mark as activated', async ({ page }) => {
  const errors = watchForErrors(page);
  await newAccount(page);
  await info(page).click();
  const contacts = page.getByRole('region', { name: /^Contacts/ });

  // Skip: login on, not invited.
  await contacts.getByRole('checkbox', { name: 'Login for kate@smith.example' }).check();
  await expect(contacts.getByText('Invite kate@smith.example to the client portal now?')).toBeVisible();
  await contacts.getByRole('button', { name: 'Skip' }).click();
  await expect(contacts.getByText('Not invited yet')).toBeVisible();
  await expect(contacts.getByRole('checkbox', { name: 'Signatory for kate@smith.example' })).toBeChecked();

  // Invite with a personal message: recorded, and the mail program is asked to open.
  await contacts.getByRole('button', { name: 'Invite' }).click();
  await contacts.getByLabel('Personal message (optional)').fill('Welcome aboard!');
  // With no mail program installed, Chromium reports the mailto: it was asked to open.
  const opened = [];
  page.on('console', (m) => m.text().includes('mailto:') && opened.push(m.text()));
  await contacts.getByRole('button', { name: 'Send invitation' }).click();
  await expect(contacts.getByText(/Invited [A-Z][a-z]{2} \d{1,2}, \d{4} · pending/)).toBeVisible();
  await expect
    .poll(() => opened.find((m) => m.includes('mailto:kate%40smith.example?subject=') && m.includes('Welcome%20aboard%21')))
    .toBeTruthy();

  await page.getByRole('navigation', { name: 'Account sections' }).getByRole('link', { name: 'Overview' }).click();
  const activity = page.getByRole('region', { name: 'Login activity' });
  await expect(activity.getByText(/Invited .* not activated yet/)).toBeVisible();

  await info(page).click();
  await contacts.getByRole('button', { name: 'Mark as activated' }).click();
  await expect(contacts.getByText(/Activated [A-Z][a-z]{2} \d{1,2}, \d{4}/)).toBeVisible();
  await page.getByRole('navigation', { name: 'Account sections' }).getByRole('link', { name: 'Overview' }).click();
  await expect(activity.getByText(/Activated [A-Z][a-z]{2} \d/)).toBeVisible();
  errors.assertNone();
});

test('link an existing contact; linked accounts; the contact page lists both', async ({ page }) => {
  const errors = watchForErrors(page);
  await newAccount(page, 'Sofía', 'Müller', 'sofia@mueller.example');
  await page.getByRole('button', { name: '+ New' }).click();
  await page.getByRole('menuitem', { name: 'Account' }).click();
  await page.getByLabel('Company', { exact: true }).check();
  await page.getByLabel('Company name').fill('Müller Consulting');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('First name').fill('Hans');
  await page.getByLabel('Last name').fill('Berg');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Müller Consulting' })).toBeVisible();

  await info(page).click();
  const contacts = page.getByRole('region', { name: /^Contacts/ });
  await contacts.getByRole('button', { name: 'Link existing contact' }).click();
  await contacts.getByLabel('Find a contact by name or email').fill('muller');
  await contacts.getByRole('button', { name: 'Link Sofía Müller' }).click();
  await expect(contacts.getByRole('heading', { name: 'Contacts (2)' })).toBeVisible();
  const linked = page.getByRole('region', { name: 'Linked accounts' });
  await expect(linked.getByRole('link', { name: 'Sofía Müller' })).toBeVisible();

  await contacts.getByRole('link', { name: 'Sofía Müller' }).click();
  await expect(page.getByRole('link', { name: 'Müller Consulting' })).toBeVisible();
  errors.assertNone();
});

test('roles: create inline, assign a team member, remove; tags and team in edit', async ({ page }) => {
  const errors = watchForErrors(page);
  await newAccount(page);
  await seedCatalog(page, [
    { item: 'Member', id: hexId(1), name: 'Olga Owner', email: 'olga@firm.example', role: 'Owner', view_all_accounts: true, manage_accounts: true },
    { item: 'Member', id: hexId(2), name: 'Ann Employee', email: 'ann@firm.example', role: 'Employee', view_all_accounts: false, manage_accounts: false },
    { item: 'Tag', id: hexId(3), name: 'VIP', color: 'red' },
  ]);
  await info(page).click();
  const roles = page.getByRole('region', { name: 'Account roles' });
  await roles.getByLabel('New role').fill('Bookkeeper');
  await roles.getByRole('button', { name: 'Create role' }).click();
  await expect(roles.getByRole('option', { name: 'Bookkeeper' })).toHaveCount(1);
  await roles.getByLabel('Role', { exact: true }).selectOption({ label: 'Bookkeeper' });
  await roles.getByLabel('Team member').selectOption({ label: 'Ann Employee' });
  await roles.getByRole('button', { name: 'Assign role' }).click();
  await expect(roles.getByText('Bookkeeper: Ann Employee')).toBeVisible();
  const history = page.getByRole('region', { name: 'History of changes' });
  await expect(history.getByText('Ann Employee assigned as Bookkeeper')).toBeVisible();
  await expect(history.getByText('Ann Employee assigned', { exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Edit account info' }).click();
  await page.getByRole('checkbox', { name: 'VIP' }).check();
  await page.getByRole('button', { name: 'Save account info' }).click();
  await expect(page.locator('.profile-header').getByText('VIP')).toBeVisible();
  await expect(history.getByText('Tag VIP added')).toBeVisible();

  await roles.getByRole('button', { name: 'Remove Ann Employee as Bookkeeper' }).click();
  await expect(roles.getByText('No roles assigned.')).toBeVisible();
  errors.assertNone();
});

test('photo: upload, cropped square, shown in the header; remove', async ({ page }) => {
  const errors = watchForErrors(page);
  await newAccount(page);
  await info(page).click();
  // A 3x2 PNG (red), made in the page.
  const png = await page.evaluate(async () => {
    const c = document.createElement('canvas');
    c.width = 300;
    c.height = 200;
    const g = c.getContext('2d');
    g.fillStyle = '#c00';
    g.fillRect(0, 0, 300, 200);
    const blob = await new Promise((r) => c.toBlob(r, 'image/png'));
    return Array.from(new Uint8Array(await blob.arrayBuffer()));
  });
  await page.getByLabel('Upload photo').setInputFiles({ name: 'kate.png', mimeType: 'image/png', buffer: Buffer.from(png) });
  const photo = page.getByRole('img', { name: 'Photo of Kate Smith' });
  await expect(photo).toBeVisible();
  const size = await photo.evaluate((img) => [img.naturalWidth, img.naturalHeight]);
  expect(size).toEqual([192, 192]);
  await page.reload();
  await expect(photo).toBeVisible();
  await page.getByRole('button', { name: 'Remove photo' }).click();
  await expect(photo).toHaveCount(0);
  errors.assertNone();
});

test('custom fields in Edit account info are checked by type and saved with history', async ({ page }) => {
  const errors = watchForErrors(page);
  await newAccount(page);
  await seedCatalog(page, [
    { item: 'Field', id: hexId(31), target: 'Account', label: 'Annual fee', kind: 'Number' },
    { item: 'Field', id: hexId(32), target: 'Account', label: 'Bookkeeping', kind: 'YesNo' },
  ]);
  await info(page).click();
  await page.getByRole('button', { name: 'Edit account info' }).click();
  const fee = page.getByLabel('Annual fee');
  await fee.fill('a lot');
  await page.getByLabel('Bookkeeping').selectOption('yes');
  await page.getByRole('button', { name: 'Save account info' }).click();
  await expect(await errorOf(page, fee)).toHaveText('Annual fee must be a number');
  await fee.fill('1 250,50');
  await page.getByRole('button', { name: 'Save account info' }).click();
  const facts = page.getByRole('region', { name: 'Account info' });
  await expect(facts.getByText('1,250.50')).toBeVisible();
  await expect(facts.getByText('yes')).toBeVisible();
  const history = page.getByRole('region', { name: 'History of changes' });
  await expect(history.getByText('Annual fee changed from (empty) to “1250.50”')).toBeVisible();
  errors.assertNone();
});
