// Duplicates: find contacts that are probably one person, merge them with
// a chosen value (history on every account says so), undo the merge;
// "Not duplicates"; detection among 20,000 contacts.
import { test, expect } from '@playwright/test';
import { openApp, watchForErrors } from './helpers.js';
import { seed, accountRecord, fold } from './seed.js';

const hex = (prefix, n) => `${prefix}${n.toString(16).padStart(31, '0')}`;

function contact({ id, first, last, emails = [], phones = [], dob = '', created = 1 }) {
  return {
    id, first_name: first, middle_name: '', last_name: last, emails, phones, date_of_birth: dob, tags: [], custom: {},
    created_at: created, updated_at: created, name_key: fold(`${last} ${first}`), email_keys: emails.map((e) => e.toLowerCase()),
  };
}

function link(account, c, { description = '', priority = null, login = false } = {}) {
  return {
    account_id: account, contact_id: c.id, description, signer_priority: priority,
    email_access: c.email_keys.map((email) => ({
      email, login, notify: login, email_sync: false, signatory: login,
      notify_prefs: { messages: true, documents: true, organizers: true, invoices: true, signatures: true },
      invited_at: null, activated_at: null,
    })),
  };
}

/** Kate and Katie Smith: one person with two records (the same phone
 * written two ways). Both on the family account, Katie also on her LLC. */
async function seedKates(page) {
  const family = accountRecord({ id: hex('a', 1), name: 'Smith family' });
  const llc = accountRecord({ id: hex('a', 2), name: "Katie's LLC" });
  const kate = contact({ id: hex('c', 1), first: 'Kate', last: 'Smith', emails: ['kate@x.example'], phones: ['+40 721 234 567'], dob: '1980-01-02' });
  const katie = contact({ id: hex('c', 2), first: 'Katie', last: 'Smith', emails: ['katie@y.example'], phones: ['0721 234 567'], dob: '1980-02-01' });
  const other = contact({ id: hex('c', 3), first: 'Radu', last: 'Ionescu', emails: ['radu@x.example'] });
  await seed(page, {
    accounts: [family, llc],
    contacts: [kate, katie, other],
    links: [
      link(family.id, kate, { login: true }),
      link(family.id, katie, { description: 'Primary contact', priority: 1 }),
      link(llc.id, katie, { description: 'CEO' }),
      link(family.id, other),
    ],
  });
  await page.reload();
}

async function openDuplicates(page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
  await page.getByRole('navigation', { name: 'Clients' }).getByRole('link', { name: /^Contacts/ }).click();
  await page.getByRole('link', { name: 'Find duplicates' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Duplicate contacts' })).toBeVisible();
}

async function familyHistory(page) {
  await page.goto(`./#/accounts/${hex('a', 1)}/info`);
  const history = page.getByRole('region', { name: 'History of changes' });
  await expect(history).toBeVisible();
  return history;
}

test('find duplicates, merge with a chosen value, history shows it, undo restores', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await seedKates(page);
  await openDuplicates(page);
  await expect(page.getByText('1 group of probable duplicates among 3 contacts.')).toBeVisible();
  const group = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Kate Smith · Katie Smith' }) });
  await expect(group.getByText('Same phone: +40 721 234 567, 0721 234 567')).toBeVisible();

  await group.getByRole('button', { name: 'Compare and merge' }).click();
  // Katie is on more accounts, so she stays unless told otherwise.
  await expect(group.getByRole('radio', { name: 'Keep this contact Katie Smith' })).toBeChecked();
  await group.getByRole('radio', { name: 'Keep this contact Kate Smith' }).check();
  // Where they differ: the name and date of birth (and the main email).
  await expect(group.getByRole('radio', { name: 'Kate Smith (Name of Kate Smith)' })).toBeChecked();
  await group.getByRole('radio', { name: 'Katie Smith (Name of Katie Smith)' }).check();
  await group.getByRole('radio', { name: '1980-02-01 (Date of birth of Katie Smith)' }).check();
  const result = group.locator('.merge-result');
  await expect(result).toContainText('Katie Smith');
  await expect(result).toContainText('kate@x.example, katie@y.example');
  await expect(result).toContainText('+40 721 234 567');
  await expect(result).not.toContainText('0721 234 567,');
  await expect(result).toContainText('Smith family: several of them were linked; the one link keeps description “Primary contact”, signer priority 1');
  await group.getByRole('button', { name: 'Merge 2 contacts' }).click();
  await expect(page.getByText('Contacts merged.')).toBeVisible();
  await expect(page.getByText('0 groups of probable duplicates among 2 contacts.')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Last merge' })).toContainText('Katie Smith into Kate Smith (now Katie Smith)');

  // The merged contact: every email, both accounts, the chosen values.
  await page.goto(`./#/contacts/${hex('c', 1)}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Katie Smith' })).toBeVisible();
  await expect(page.getByText('Feb 1, 1980')).toBeVisible();
  await expect(page.getByText('2 accounts')).toBeVisible();
  await expect(page.getByRole('link', { name: "Katie's LLC" })).toBeVisible();
  // Each account keeps the switches its link had; an email new to a link starts off.
  const onAccount = (name) => page.getByRole('listitem').filter({ has: page.getByRole('link', { name, exact: true }) });
  await expect(onAccount('Smith family').getByRole('checkbox', { name: 'Login for kate@x.example' })).toBeChecked();
  await expect(onAccount("Katie's LLC").getByRole('checkbox', { name: 'Login for kate@x.example' })).not.toBeChecked();

  let history = await familyHistory(page);
  await expect(history).toContainText('Contacts merged: Katie Smith into Kate Smith (now Katie Smith)');

  await openDuplicates(page);
  await page.getByRole('button', { name: 'Undo merge' }).click();
  await expect(page.getByText('The merge was undone')).toBeVisible();
  await expect(page.getByText('1 group of probable duplicates among 3 contacts.')).toBeVisible();
  history = await familyHistory(page);
  await expect(history).not.toContainText('Contacts merged');
  await page.goto(`./#/contacts/${hex('c', 2)}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Katie Smith' })).toBeVisible();
  await expect(page.getByText('2 accounts')).toBeVisible();
  await page.goto(`./#/contacts/${hex('c', 1)}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Kate Smith' })).toBeVisible();
  await expect(page.getByText('1 account', { exact: false })).toBeVisible();
  errors.assertNone();
});

test('"Not duplicates" hides a group until offered again', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await seedKates(page);
  await openDuplicates(page);
  await page.getByRole('button', { name: 'Not duplicates' }).click();
  await expect(page.getByText('0 groups of probable duplicates among 3 contacts.')).toBeVisible();
  await page.reload();
  await expect(page.getByText('0 groups of probable duplicates among 3 contacts.')).toBeVisible();
  await page.getByRole('button', { name: 'Offer again the 1 group marked “not duplicates”' }).click();
  await expect(page.getByText('1 group of probable duplicates among 3 contacts.')).toBeVisible();
  errors.assertNone();
});

test('finds the duplicates among 20,000 contacts', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchForErrors(page);
  await openApp(page);
  const n = 20_000;
  const pairs = 1_000;
  await page.evaluate(async ({ n, pairs }) => {
    const hex = (prefix, i) => `${prefix}${i.toString(16).padStart(31, '0')}`;
    const db = await new Promise((resolve, reject) => {
      const r = indexedDB.open('clientbook');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    await new Promise((resolve, reject) => {
      const tx = db.transaction(['contacts'], 'readwrite');
      const contacts = tx.objectStore('contacts');
      for (let i = 0; i < n; i++) {
        const twin = i >= n - pairs;
        const k = twin ? i - (n - pairs) : i;
        const email = `person${i}@example.com`;
        // The last `pairs` contacts repeat an earlier one's phone, written another way.
        const phone = twin ? `0${700_000_000 + k}` : `+40 ${700_000_000 + k}`;
        contacts.put({
          id: hex('c', i), first_name: `First${i}`, middle_name: '', last_name: `Last${i}`, emails: [email], phones: [phone],
          date_of_birth: '', tags: [], custom: {}, created_at: 1, updated_at: 1, name_key: `last${i} first${i}`, email_keys: [email],
        });
      }
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, { n, pairs });
  await page.goto('./#/clients/duplicates');
  await expect(page.getByText(`${pairs.toLocaleString('en-US')} groups of probable duplicates among ${n.toLocaleString('en-US')} contacts.`)).toBeVisible({ timeout: 60_000 });
  const ms = await page.evaluate(() => performance.getEntriesByName('clientbook:find-duplicates').map((e) => e.duration));
  console.log(`duplicate detection over ${n} contacts in the browser: ${ms.map((m) => m.toFixed(1)).join(', ')} ms`);
  expect(ms.length).toBeGreaterThan(0);
  await expect(page.getByRole('button', { name: 'Show 50 more' })).toBeVisible();
  errors.assertNone();
});
