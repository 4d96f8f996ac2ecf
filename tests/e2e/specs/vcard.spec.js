// vCard: import a .vcf (folded lines, quoted-printable, photos) as
// contacts with the import preview and undo; a bad file is refused with the
// place of each problem; export one contact or a selection as vCard 4.0.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import { openApp, createAccount, watchForErrors } from './helpers.js';

function vcf(name, text) {
  return { name, mimeType: 'text/vcard', buffer: Buffer.from(text) };
}

async function openData(page) {
  await page.getByRole('link', { name: 'Import & export' }).click();
  await expect(page.getByRole('heading', { name: 'Import & export', level: 1 })).toBeVisible();
}

async function openContacts(page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
  await page.getByRole('navigation', { name: 'Clients' }).getByRole('link', { name: /^Contacts/ }).click();
}

/** Three cards: 3.0 with a folded note and a folded base64 photo (one
 * of its emails is already here), 2.1 with quoted-printable and soft line
 * breaks, 4.0 with a data: URI photo. CRLF line ends. */
const ADDRESS_BOOK = [
  'BEGIN:VCARD',
  'VERSION:3.0',
  'N:Smith;Kate;;;',
  'FN:Kate Smith',
  'EMAIL;TYPE=INTERNET:KATE@example.com',
  'item1.EMAIL;TYPE=INTERNET:kate.work@example.com',
  'item1.X-ABLabel:work',
  'TEL;TYPE=CELL:+40 721 234 567',
  'PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAEBAQEBAQEBAQEBAQE',
  ' BAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQH/wAALCAABAAEBAREA/8QAFAAB',
  'END:VCARD',
  'BEGIN:VCARD',
  'VERSION:2.1',
  'N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen',
  'TEL;CELL;PREF:+49 170 1234567',
  'NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Erstes Gespr=C3=A4ch im M=C3=A4rz=0D=0A=',
  'Steuererkl=C3=A4rung 2024 =',
  'folgt',
  'END:VCARD',
  'BEGIN:VCARD',
  'VERSION:4.0',
  'FN:Ștefan Popescu',
  'EMAIL;PREF=1:stefan@popescu.example',
  'ORG:Popescu & Asociații SRL\\, Cluj-Napoca — consultanță fiscală și contabilitat',
  ' e',
  'BDAY:19850412',
  'CATEGORIES:Lead,Romania',
  'PHOTO:data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk',
  'END:VCARD',
  '',
].join('\r\n');

test('import a .vcf with folded lines, quoted-printable and photos; undo it', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await createAccount(page, { name: 'Smith family', first: 'Kate', last: 'Smith', email: 'kate@example.com' });
  await expect(page.getByRole('heading', { level: 1, name: 'Smith family' })).toBeVisible();
  await openData(page);
  await page.getByLabel('vCard file (.vcf)').setInputFiles(vcf('contacts.vcf', ADDRESS_BOOK));
  await expect(page.getByRole('heading', { name: 'Preview of contacts.vcf' })).toBeVisible();
  await expect(page.getByText('3 cards read.')).toBeVisible();
  const contactsRow = page.getByRole('row', { name: /^Contacts/ });
  await expect(contactsRow.getByRole('cell').nth(0)).toHaveText('2');
  await expect(contactsRow.getByRole('cell').nth(1)).toHaveText('1');
  // Both photos are kept: one for Kate (who had none), one for Ștefan.
  const photosRow = page.getByRole('row', { name: /^Contact photos/ });
  await expect(photosRow.getByRole('cell').nth(0)).toHaveText('2');
  await expect(page.getByText(/^PHOTO: not kept/)).toHaveCount(0);
  await page.getByRole('button', { name: 'Import contacts' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'vCard import finished.' })).toBeVisible();

  await openContacts(page);
  await expect(page.getByText('3 of 3 contacts')).toBeVisible();
  // A contact without an account is found by the search too.
  const search = page.getByRole('combobox', { name: 'Search clients' });
  await search.fill('jurgen');
  await expect(page.getByRole('listbox', { name: 'Search results' }).getByRole('group', { name: 'Contacts' }).getByRole('option')).toHaveText([/Jürgen Müller/]);
  await search.fill('');
  await page.getByRole('link', { name: 'Jürgen Müller' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Jürgen Müller' })).toBeVisible();
  await expect(page.getByText('Erstes Gespräch im März / Steuererklärung 2024 folgt')).toBeVisible();
  await expect(page.getByText('+49 170 1234567')).toBeVisible();
  await expect(page.getByText('0 accounts')).toBeVisible();

  await openContacts(page);
  await page.getByRole('link', { name: 'Ștefan Popescu' }).click();
  await expect(page.getByText('Popescu & Asociații SRL, Cluj-Napoca — consultanță fiscală și contabilitate')).toBeVisible();
  await expect(page.getByText('Apr 12, 1985')).toBeVisible();

  // The card with Kate's email updated her: one more email, a phone.
  await openContacts(page);
  await page.getByRole('link', { name: 'Kate Smith' }).click();
  await expect(page.getByText('kate.work@example.com').first()).toBeVisible();
  await expect(page.getByText('+40 721 234 567')).toBeVisible();
  await expect(page.getByRole('checkbox', { name: 'Email sync for kate.work@example.com' })).not.toBeChecked();
  // Her photo from the card is shown, and goes out again with Export vCard.
  const katePhoto = page.getByRole('img', { name: 'Photo of Kate Smith' });
  await expect(katePhoto).toHaveAttribute('src', /^data:image\/jpeg;base64,\/9j\/4AAQSkZJRgABAQAAAQABAAD\/2wBD/);
  const [kateCard] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export vCard' }).click(),
  ]);
  const katePath = test.info().outputPath('Kate Smith.vcf');
  await kateCard.saveAs(katePath);
  const kateText = fs.readFileSync(katePath, 'utf8');
  expect(kateText).toContain('\r\nPHOTO:data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAEBAQEBAQEBAQ\r\n EBAQEBAQEB');
  expect(kateText.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true);

  await openData(page);
  await page.getByRole('button', { name: 'Undo last import' }).click();
  await expect(page.getByText('The last import was undone.')).toBeVisible();
  await openContacts(page);
  await expect(page.getByText('1 of 1 contact')).toBeVisible();
  // Undo took Kate's photo away with the rest of the import.
  await page.getByRole('link', { name: 'Kate Smith' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Kate Smith' })).toBeVisible();
  await expect(katePhoto).toHaveCount(0);
  errors.assertNone();
});

test('contact photo: upload on the contact page, history on the account, in the vCard; remove', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await createAccount(page, { name: 'Pop family', first: 'Ana', last: 'Pop', email: 'ana@pop.example' });
  await expect(page.getByRole('heading', { level: 1, name: 'Pop family' })).toBeVisible();
  await openContacts(page);
  await page.getByRole('link', { name: 'Ana Pop' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Ana Pop' })).toBeVisible();
  const photo = page.getByRole('img', { name: 'Photo of Ana Pop' });
  await expect(photo).toHaveCount(0);
  // A 300x200 PNG made in the page: stored as a 192 px square JPEG.
  const png = await page.evaluate(async () => {
    const c = document.createElement('canvas');
    c.width = 300;
    c.height = 200;
    const g = c.getContext('2d');
    g.fillStyle = '#06c';
    g.fillRect(0, 0, 300, 200);
    const blob = await new Promise((r) => c.toBlob(r, 'image/png'));
    return Array.from(new Uint8Array(await blob.arrayBuffer()));
  });
  await page.getByLabel('Upload photo').setInputFiles({ name: 'ana.png', mimeType: 'image/png', buffer: Buffer.from(png) });
  await expect(photo).toBeVisible();
  expect(await photo.evaluate((img) => [img.naturalWidth, img.naturalHeight])).toEqual([192, 192]);
  await page.reload();
  await expect(photo).toBeVisible();
  const [card] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export vCard' }).click(),
  ]);
  const path = test.info().outputPath('Ana Pop.vcf');
  await card.saveAs(path);
  expect(fs.readFileSync(path, 'utf8')).toMatch(/\r\nPHOTO:data:image\/jpeg;base64,\/9j\//);
  // The Clients list's selection export carries the photo too.
  await openContacts(page);
  await page.getByLabel('Select all 1 contact', { exact: true }).check();
  const [selection] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('region', { name: 'Selected contacts' }).getByRole('button', { name: 'Export vCard' }).click(),
  ]);
  const selectionPath = test.info().outputPath(selection.suggestedFilename());
  await selection.saveAs(selectionPath);
  expect(fs.readFileSync(selectionPath, 'utf8')).toMatch(/\r\nPHOTO:data:image\/jpeg;base64,\/9j\//);
  await page.getByRole('link', { name: 'Ana Pop' }).click();
  await expect(photo).toBeVisible();
  // Remove: initials again; the account's history says both.
  await page.getByRole('button', { name: 'Remove photo' }).click();
  await expect(photo).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Remove photo' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Pop family' }).first().click();
  await page.getByRole('link', { name: 'Info', exact: true }).click();
  const history = page.getByRole('region', { name: 'History of changes' });
  await expect(history.getByText('Photo of Ana Pop changed')).toBeVisible();
  await expect(history.getByText('Photo of Ana Pop removed')).toBeVisible();
  errors.assertNone();
});

test('a .vcf with a bad email is refused with its card and line, and nothing is written', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await openData(page);
  const bad = ['BEGIN:VCARD', 'VERSION:3.0', 'FN:Good One', 'END:VCARD', 'BEGIN:VCARD', 'VERSION:3.0', 'FN:Bad One',
    'EMAIL:bad one@example', 'END:VCARD', ''].join('\n');
  await page.getByLabel('vCard file (.vcf)').setInputFiles(vcf('bad.vcf', bad));
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('The file has 1 problem; nothing was imported.');
  await expect(alert).toContainText('card 2 (line 8), EMAIL: not an email address: it contains a space');
  await expect(page.getByRole('button', { name: 'Import contacts' })).toHaveCount(0);
  errors.assertNone();
});

test('export a contact as .vcf, and a selection; the file imports elsewhere', async ({ page, browser }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await createAccount(page, { name: 'Pop family', first: 'Ana', last: 'Pop', email: 'ana@pop.example' });
  await expect(page.getByRole('heading', { level: 1, name: 'Pop family' })).toBeVisible();
  await createAccount(page, { name: 'Ionescu SRL', first: 'Radu', last: 'Ionescu', email: 'radu@ionescu.example' });
  await expect(page.getByRole('heading', { level: 1, name: 'Ionescu SRL' })).toBeVisible();

  await openContacts(page);
  await page.getByRole('link', { name: 'Ana Pop' }).click();
  const [one] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export vCard' }).click(),
  ]);
  expect(one.suggestedFilename()).toBe('Ana Pop.vcf');
  const path = test.info().outputPath('Ana Pop.vcf');
  await one.saveAs(path);
  const text = fs.readFileSync(path, 'utf8');
  expect(text).toMatch(/^BEGIN:VCARD\r\nVERSION:4\.0\r\nUID:urn:uuid:[0-9a-f-]{36}\r\nFN:Ana Pop\r\nN:Pop;Ana;;;\r\nEMAIL;PREF=1:ana@pop\.example\r\n/);
  expect(text.endsWith('END:VCARD\r\n')).toBe(true);

  await openContacts(page);
  await page.getByLabel('Select all 2 contacts').check();
  await expect(page.getByText('2 selected')).toBeVisible();
  const [many] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('region', { name: 'Selected contacts' }).getByRole('button', { name: 'Export vCard' }).click(),
  ]);
  expect(many.suggestedFilename()).toMatch(/^clientbook-contacts-\d{4}-\d{2}-\d{2}\.vcf$/);
  const manyPath = test.info().outputPath(many.suggestedFilename());
  await many.saveAs(manyPath);
  expect(fs.readFileSync(manyPath, 'utf8').match(/BEGIN:VCARD/g)).toHaveLength(2);

  // Into a fresh profile: the same two people.
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  const otherErrors = watchForErrors(other);
  await openApp(other);
  await openData(other);
  await other.getByLabel('vCard file (.vcf)').setInputFiles(manyPath);
  await expect(other.getByText('2 cards read.')).toBeVisible();
  await other.getByRole('button', { name: 'Import contacts' }).click();
  await expect(other.getByRole('status').filter({ hasText: 'vCard import finished.' })).toBeVisible();
  await openContacts(other);
  await expect(other.getByRole('link', { name: 'Ana Pop' })).toBeVisible();
  await expect(other.getByText('radu@ionescu.example')).toBeVisible();
  otherErrors.assertNone();
  await fresh.close();
  errors.assertNone();
});

test('a 5,000-card file is checked, previewed and imported in one step', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchForErrors(page);
  await openApp(page);
  await openData(page);
  const n = 5000;
  const cards = [];
  for (let i = 0; i < n; i++) {
    cards.push([
      'BEGIN:VCARD', 'VERSION:3.0', `N:Nume${i};Prenume;;;`, `FN:Prenume Nume${i}`,
      `EMAIL;TYPE=INTERNET:person${i}@example.com`, `TEL;TYPE=CELL:+40 7${String(i).padStart(8, '0')}`,
      `ADR;TYPE=HOME:;;Strada ${i}\\, bl. 3;Cluj-Napoca;;400000;Romania`, 'ORG:Example SRL',
      'NOTE;ENCODING=QUOTED-PRINTABLE:Client din 2019=0D=0A=', 'prima consulta=C8=9Bie', 'END:VCARD',
    ].join('\r\n'));
  }
  const text = `${cards.join('\r\n')}\r\n`;
  const started = Date.now();
  await page.getByLabel('vCard file (.vcf)').setInputFiles(vcf('big.vcf', text));
  await expect(page.getByText(`${n.toLocaleString('en-US')} cards read.`)).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('row', { name: /^Contacts/ }).getByRole('cell').first()).toHaveText(n.toLocaleString('en-US'), { timeout: 60_000 });
  const checked = Date.now();
  await page.getByRole('button', { name: 'Import contacts' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'vCard import finished.' })).toBeVisible({ timeout: 60_000 });
  const imported = Date.now();
  console.log(`vCard of ${n} cards (${text.length} bytes): read, checked and planned in ${checked - started} ms; imported in ${imported - checked} ms`);
  await openContacts(page);
  await expect(page.getByText(`${n.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} contacts`)).toBeVisible({ timeout: 30_000 });
  errors.assertNone();
});
