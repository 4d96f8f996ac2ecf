// The backup reminder: shown when the last backup is old (the time is
// seeded into the `meta` store, or the clock is moved), or more than a day
// old while the browser may clear the data; "Export now" downloads a bundle
// and hides it, "Remind me later" snoozes it.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import { openApp, createAccount, watchForErrors, storedRecord } from './helpers.js';

const DAY = 86_400_000;
const reminder = (page) => page.getByRole('region', { name: 'Backup reminder' });

/** Writes the `meta` record `backup` (as `domain::backup::BackupState`). */
async function seedBackup(page, state) {
  await page.evaluate((state) => new Promise((resolve, reject) => {
    const open = indexedDB.open('clientbook');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction('meta', 'readwrite');
      tx.objectStore('meta').put({
        key: 'backup',
        state: { last_export: null, since: null, snoozed_until: null, remind_after: { Days: 14 }, ...state },
      });
      tx.oncomplete = () => { db.close(); resolve(); };
      tx.onabort = () => reject(tx.error);
    };
  }), state);
}

/** The stored `backup` record's state. */
async function backupState(page) {
  return (await storedRecord(page, 'meta', 'backup'))?.state ?? null;
}

/** Makes the browser say it keeps the data persistently (headless Chromium
 * refuses), so that only the age of the backup counts. */
async function persistent(page) {
  await page.addInitScript(() => {
    const yes = () => Promise.resolve(true);
    Object.defineProperty(navigator.storage, 'persisted', { value: yes });
    Object.defineProperty(navigator.storage, 'persist', { value: yes });
  });
}

async function withData(page) {
  await openApp(page);
  await expect(reminder(page)).toHaveCount(0);
  await createAccount(page, { name: 'Backed Up', first: 'Bea', last: 'Backup', email: 'bea@backup.example' });
  await expect(page.getByRole('heading', { level: 1, name: 'Backed Up' })).toBeVisible();
  // New data starts the clock: no reminder today.
  await expect.poll(async () => (await backupState(page))?.since ?? null).not.toBeNull();
  await expect(reminder(page)).toHaveCount(0);
}

test('an old backup is reminded; Export now downloads everything and hides the reminder', async ({ page }) => {
  const errors = watchForErrors(page);
  await persistent(page);
  await withData(page);
  await seedBackup(page, { last_export: Date.now() - 30 * DAY, since: Date.now() - 60 * DAY });
  await page.reload();
  await expect(reminder(page)).toContainText('Your last backup is 30 days old');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    reminder(page).getByRole('button', { name: 'Export now' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^clientbook-\d{4}-\d{2}-\d{2}\.json$/);
  const path = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(path);
  const bundle = JSON.parse(fs.readFileSync(path, 'utf8'));
  expect(bundle.accounts.map((a) => a.name)).toEqual(['Backed Up']);
  await expect(reminder(page)).toHaveCount(0);
  const state = await backupState(page);
  expect(Date.now() - state.last_export).toBeLessThan(60_000);

  // Recorded: the reminder stays away after a reload, and Settings shows the date.
  await page.reload();
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByTestId('last-backup')).toHaveText(`Last backup: ${new Date().toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' })}.`);
  await expect(reminder(page)).toHaveCount(0);
  errors.assertNone();
});

test('never exported: reminded once the data is older than the interval; Export everything counts too', async ({ page }) => {
  await persistent(page);
  await withData(page);
  await seedBackup(page, { since: Date.now() - 15 * DAY });
  await page.reload();
  await expect(reminder(page)).toContainText('You have not exported a backup of your data yet.');
  await page.getByRole('link', { name: 'Import & export' }).click();
  await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export everything' }).click(),
  ]);
  await expect(reminder(page)).toHaveCount(0);
});

test('Remind me later snoozes for three days; Never remind turns it off', async ({ page }) => {
  const errors = watchForErrors(page);
  await persistent(page);
  await withData(page);
  await seedBackup(page, { last_export: Date.now() - 20 * DAY });
  await page.reload();
  await expect(reminder(page)).toBeVisible();
  await reminder(page).getByRole('button', { name: 'Remind me later' }).click();
  await expect(reminder(page)).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(reminder(page)).toHaveCount(0);

  // Four days later the snooze is over.
  await page.clock.setFixedTime(Date.now() + 4 * DAY);
  await page.reload();
  await expect(reminder(page)).toContainText('Your last backup is 24 days old');

  // Settings: never remind.
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Remind me when the last backup is older than').selectOption('never');
  await expect(reminder(page)).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('last-backup')).toBeVisible();
  await expect(reminder(page)).toHaveCount(0);
  errors.assertNone();
});

test('no reminder in the demo practice', async ({ page }) => {
  await withData(page);
  await seedBackup(page, { last_export: Date.now() - 90 * DAY });
  await page.reload();
  await expect(reminder(page)).toBeVisible();
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Load demo practice' }).click();
  await expect(page.getByRole('region', { name: 'Demo mode' })).toBeVisible();
  await expect(reminder(page)).toHaveCount(0);
  await page.getByRole('region', { name: 'Demo mode' }).getByRole('button', { name: 'Leave demo' }).click();
  await expect(reminder(page)).toBeVisible();
});

test('a browser that may clear the data: reminded when the backup is more than a day old', async ({ page }) => {
  await page.addInitScript(() => {
    const no = () => Promise.resolve(false);
    Object.defineProperty(navigator.storage, 'persisted', { value: no });
    Object.defineProperty(navigator.storage, 'persist', { value: no });
  });
  await withData(page);
  await seedBackup(page, { last_export: Date.now() - 2 * DAY });
  await page.reload();
  await expect(reminder(page)).toContainText("This browser may clear Clientbook's data to free space. Your last backup is from");
  await seedBackup(page, { last_export: Date.now() - DAY / 2 });
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(reminder(page)).toHaveCount(0);
});
