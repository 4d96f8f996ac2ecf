// Offline for real: the service worker keeps the app on the device, the
// same build runs from any sub-path, only the app's own scripts run (CSP),
// several tabs stay consistent, and the browser is asked to keep the data.
import { test, expect } from '@playwright/test';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '../serve.mjs';
import { createAccount, openApp, watchForErrors } from './helpers.js';

// The build under test, as playwright.config.js serves it.
const DIST = resolve(fileURLToPath(new URL('..', import.meta.url)), process.env.DIST ?? '../../dist');

/** Serves `dir` from `base` on a free port; `close()` when done. */
async function serve(dir, base) {
  const server = await serveStatic(dir, 0, base);
  return {
    url: `http://127.0.0.1:${server.address().port}${base}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((done) => server.close(done));
    },
  };
}

/** Resolves once a service worker controls the page and its cache is full. */
async function workerReady(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((done) => navigator.serviceWorker.addEventListener('controllerchange', done, { once: true }));
    }
  });
}

/** The app's caches: names, and the bytes of what they hold. */
async function cacheFacts(page) {
  return page.evaluate(async () => {
    const names = (await caches.keys()).filter((k) => k.startsWith('clientbook-'));
    let bytes = 0;
    let files = 0;
    for (const name of names) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        bytes += (await (await cache.match(request)).arrayBuffer()).byteLength;
        files += 1;
      }
    }
    return { names, bytes, files };
  });
}

test('after the first visit the app starts offline, with its data', async ({ page, context }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await createAccount(page, { first: 'Olga', last: 'Offline', email: 'olga@example.com' });
  await expect(page.getByRole('heading', { level: 1, name: 'Olga Offline' })).toBeVisible();
  await workerReady(page);
  const cached = await cacheFacts(page);
  expect(cached.names).toHaveLength(1);
  test.info().annotations.push({ type: 'cache', description: `${cached.files} files, ${cached.bytes} bytes in ${cached.names[0]}` });

  await context.setOffline(true);
  const started = Date.now();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Olga Offline' })).toBeVisible();
  test.info().annotations.push({ type: 'offline first render', description: `${Date.now() - started} ms` });
  // A fresh visit to another page works too, with the data.
  await page.goto('./#/clients');
  await expect(page.getByRole('table', { name: 'Accounts' }).getByRole('link', { name: 'Olga Offline' })).toBeVisible();
  // Still offline: a new account is saved, and kept across a reload.
  await createAccount(page, { first: 'Nora', last: 'Network', email: 'nora@example.com' });
  await expect(page.getByRole('heading', { level: 1, name: 'Nora Network' })).toBeVisible();
  await page.goto('./#/clients');
  await page.reload();
  const table = page.getByRole('table', { name: 'Accounts' });
  await expect(table.getByRole('link', { name: 'Olga Offline' })).toBeVisible();
  await expect(table.getByRole('link', { name: 'Nora Network' })).toBeVisible();
  await context.setOffline(false);
  errors.assertNone();
});

test('every language is kept for offline, though the app in English never loads one', async ({ page, context }) => {
  const errors = watchForErrors(page);
  // The page itself asks for no language file in English (the service
  // worker fetches them all when it installs, for offline).
  const languageFiles = [];
  page.on('request', (r) => {
    if (/\/i18n\/[a-z]+\.txt$/.test(r.url())) languageFiles.push(r.url());
  });
  await openApp(page);
  await workerReady(page);
  const cached = await page.evaluate(async () => {
    const [name] = (await caches.keys()).filter((k) => k.startsWith('clientbook-'));
    const cache = await caches.open(name);
    return (await cache.keys()).map((r) => new URL(r.url).pathname.split('/').slice(-2).join('/')).filter((p) => p.startsWith('i18n/')).sort();
  });
  expect(cached).toEqual(['i18n/de.txt', 'i18n/fr.txt', 'i18n/nl.txt', 'i18n/ro.txt']);
  expect(languageFiles).toEqual([]);

  // Offline, a language never used before is chosen, and kept after a reload.
  await context.setOffline(true);
  await page.goto('./#/settings');
  await page.getByRole('combobox', { name: 'Language' }).selectOption('nl');
  await expect(page.getByRole('heading', { level: 1, name: 'Instellingen' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Instellingen' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
  expect(languageFiles.length).toBeGreaterThan(0);
  await context.setOffline(false);
  errors.assertNone();
});

test('the manifest makes the app installable', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  await workerReady(page);
  const cdp = await page.context().newCDPSession(page);
  const manifest = await cdp.send('Page.getAppManifest');
  expect(manifest.errors).toEqual([]);
  const parsed = JSON.parse(manifest.data);
  expect(parsed.icons.map((i) => i.sizes)).toEqual(['any', '192x192', '512x512', '512x512']);
  // Chromium's own verdict. Playwright's contexts are incognito, where
  // nothing is installable; every other reason would be the app's.
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  expect(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);
  errors.assertNone();
});

test('the same build works from a sub-path, online and offline', async ({ browser }) => {
  const server = await serve(DIST, '/tools/clientbook/');
  const context = await browser.newContext({ baseURL: server.url });
  try {
    const page = await context.newPage();
    const errors = watchForErrors(page);
    await openApp(page);
    await expect(page.getByText('No client accounts yet.')).toBeVisible();
    await createAccount(page, { first: 'Sam', last: 'Subpath', email: 'sam@example.com' });
    await expect(page.getByRole('heading', { level: 1, name: 'Sam Subpath' })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Sam Subpath' })).toBeVisible();
    await page.goto('./#/clients');
    await expect(page.getByRole('table', { name: 'Accounts' }).getByRole('link', { name: 'Sam Subpath' })).toBeVisible();
    expect(new URL(page.url()).pathname).toBe('/tools/clientbook/');

    // The worker's scope is the sub-path, and it serves the app offline there.
    await workerReady(page);
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).scope);
    expect(scope).toBe(server.url);
    await context.setOffline(true);
    await page.reload();
    await expect(page.getByRole('table', { name: 'Accounts' }).getByRole('link', { name: 'Sam Subpath' })).toBeVisible();
    errors.assertNone();
  } finally {
    await context.close();
    await server.close();
  }
});

test('a new release is offered with "Reload", and replaces the old cache', async ({ browser }) => {
  // A copy of the build that can be "released" again by changing its worker.
  const dir = await mkdtemp(join(tmpdir(), 'clientbook-release-'));
  await cp(DIST, dir, { recursive: true });
  const server = await serve(dir, '/');
  const context = await browser.newContext({ baseURL: server.url });
  try {
    const page = await context.newPage();
    const errors = watchForErrors(page);
    await openApp(page);
    await workerReady(page);
    const before = await cacheFacts(page);
    await expect(page.getByText('A new version of Clientbook is ready.')).toHaveCount(0);

    const sw = join(dir, 'sw.js');
    const old = await readFile(sw, 'utf8');
    const version = /const VERSION = "([0-9a-f]+)"/.exec(old)[1];
    await writeFile(sw, old.replace(version, 'feedbeeffeedbeef'));
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());

    const banner = page.getByRole('status').filter({ hasText: 'A new version of Clientbook is ready.' });
    await expect(banner).toBeVisible();
    await banner.getByRole('button', { name: 'Reload' }).click();
    await expect(page.getByText('A new version of Clientbook is ready.')).toHaveCount(0);
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    await expect.poll(async () => (await cacheFacts(page)).names).toEqual(['clientbook-shell-feedbeeffeedbeef']);
    expect(before.names).toEqual([`clientbook-shell-${version}`]);
    errors.assertNone();
  } finally {
    await context.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('the app boots under its Content-Security-Policy with no violations', async ({ page }) => {
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  const errors = watchForErrors(page);
  await openApp(page);
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp).not.toContain('unsafe-inline');
  expect(await page.locator('script:not([src])').count()).toBe(0);

  // Go through the pages: list, wizard, profile, settings.
  await createAccount(page, { first: 'Cora', last: 'Policy', email: 'cora@example.com' });
  await expect(page.getByRole('heading', { level: 1, name: 'Cora Policy' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Storage' })).toBeVisible();
  await page.goto('./#/clients');
  await expect(page.getByRole('link', { name: 'Cora Policy' })).toBeVisible();
  expect(await page.evaluate(() => window.cspViolations)).toEqual([]);
  errors.assertNone();
});

test('two tabs stay consistent: a change in one shows in the other', async ({ context }) => {
  const first = await context.newPage();
  const second = await context.newPage();
  const errors = [watchForErrors(first), watchForErrors(second)];
  await openApp(first);
  await openApp(second);
  await expect(second.getByText('No client accounts yet.')).toBeVisible();

  // The practitioner works in the first tab; the second stays behind it.
  await first.bringToFront();
  await createAccount(first, { first: 'Tom', last: 'Twotabs', email: 'tom@example.com' });
  await expect(first.getByRole('heading', { level: 1, name: 'Tom Twotabs' })).toBeVisible();
  const written = Date.now();
  // Within a second (it takes about 10 ms).
  await expect(second.getByRole('table', { name: 'Accounts' }).getByRole('link', { name: 'Tom Twotabs' })).toBeVisible({ timeout: 1_000 });
  test.info().annotations.push({ type: 'other tab', description: `shown after ${Date.now() - written} ms` });

  // And back: archive in the second tab, the first tab's profile follows.
  await second.bringToFront();
  await second.getByRole('link', { name: 'Tom Twotabs' }).click();
  await second.getByRole('navigation', { name: 'Account sections' }).getByRole('link', { name: 'Info' }).click();
  await second.getByRole('button', { name: 'Archive account' }).click();
  await expect(second.locator('.profile-header').getByText('Archived')).toBeVisible();
  await expect(first.locator('.profile-header').getByText('Archived')).toBeVisible({ timeout: 1_000 });
  errors.forEach((e) => e.assertNone());
});

test('what is being typed in one tab is not thrown away by a change in another', async ({ context }) => {
  const first = await context.newPage();
  const second = await context.newPage();
  const errors = [watchForErrors(first), watchForErrors(second)];
  await openApp(first);
  await openApp(second);
  await first.bringToFront();
  await createAccount(first, { first: 'Ed', last: 'Edit', email: 'ed@example.com' });
  await expect(first.getByRole('heading', { level: 1, name: 'Ed Edit' })).toBeVisible();
  await first.getByRole('navigation', { name: 'Account sections' }).getByRole('link', { name: 'Info' }).click();
  await first.getByRole('button', { name: 'Edit account info' }).click();
  await first.getByLabel('City').fill('Sibiu');

  await second.bringToFront();
  await createAccount(second, { first: 'Bo', last: 'Other', email: 'bo@example.com' });
  await expect(second.getByRole('heading', { level: 1, name: 'Bo Other' })).toBeVisible();

  // The first tab keeps the form and says that there are changes.
  const note = first.getByRole('status').filter({ hasText: 'Changes were saved in another tab.' });
  await expect(note).toBeVisible();
  await expect(note).toContainText('(what you typed here stays)');
  await expect(first.getByLabel('City')).toHaveValue('Sibiu');
  // Saving here shows everything, the other tab's change included.
  await first.bringToFront();
  await first.getByRole('button', { name: 'Save account info' }).click();
  await expect(first.getByRole('region', { name: 'Account info' }).getByText('Sibiu')).toBeVisible();
  await expect(note).toHaveCount(0);
  await first.goto('./#/clients');
  await expect(first.getByRole('table', { name: 'Accounts' }).getByRole('link', { name: 'Bo Other' })).toBeVisible();

  // Typing in a new account while the other tab saves: "Show them now".
  await first.getByRole('button', { name: '+ New' }).click();
  await first.getByRole('menuitem', { name: 'Account' }).click();
  await first.getByLabel('Account name').fill('Half typed');
  await second.bringToFront();
  await createAccount(second, { first: 'Cy', last: 'Third', email: 'cy@example.com' });
  await expect(second.getByRole('heading', { level: 1, name: 'Cy Third' })).toBeVisible();
  await expect(note).toBeVisible();
  await expect(first.getByLabel('Account name')).toHaveValue('Half typed');
  await first.bringToFront();
  await note.getByRole('button', { name: 'Show them now' }).click();
  await expect(note).toHaveCount(0);
  // What was typed stays, as the note said.
  await expect(first.getByLabel('Account name')).toHaveValue('Half typed');
  errors.forEach((e) => e.assertNone());
});

test('an edit saved after another tab changed the same account keeps both changes, or says where they clash', async ({ context }) => {
  const first = await context.newPage();
  const second = await context.newPage();
  const errors = [watchForErrors(first), watchForErrors(second)];
  await openApp(first);
  await first.bringToFront();
  await createAccount(first, { first: 'Ida', last: 'Ink', email: 'ida@example.com' });
  await expect(first.getByRole('heading', { level: 1, name: 'Ida Ink' })).toBeVisible();
  await first.getByRole('navigation', { name: 'Account sections' }).getByRole('link', { name: 'Info' }).click();
  await second.goto(first.url());
  const info = (page) => page.getByRole('region', { name: 'Account info' });
  const note = first.getByRole('status').filter({ hasText: 'Changes were saved in another tab.' });
  const saveIn = async (page) => {
    await page.bringToFront();
    await page.getByRole('button', { name: 'Save account info' }).click();
  };

  // Different fields: the city here, the street there.
  await first.getByRole('button', { name: 'Edit account info' }).click();
  await first.getByLabel('City').fill('Sibiu');
  await second.bringToFront();
  await second.getByRole('button', { name: 'Edit account info' }).click();
  await second.getByLabel('Street').fill('Strada Mare 1');
  await saveIn(second);
  await expect(info(second).getByText('Strada Mare 1')).toBeVisible();
  await expect(note).toBeVisible();
  await first.bringToFront();
  await note.getByRole('button', { name: 'Show them now' }).click();
  await expect(first.getByLabel('City')).toHaveValue('Sibiu');
  await saveIn(first);
  await expect(info(first).getByText('Strada Mare 1, Sibiu')).toBeVisible();

  // The same field in both: nothing saved, said so; saving again keeps this one.
  await first.getByRole('button', { name: 'Edit account info' }).click();
  await first.getByLabel('City').fill('Cluj');
  await second.reload();
  await second.getByRole('button', { name: 'Edit account info' }).click();
  await second.getByLabel('City').fill('Brașov');
  await saveIn(second);
  await expect(info(second).getByText('Strada Mare 1, Brașov')).toBeVisible();
  await expect(note).toBeVisible();
  await first.bringToFront();
  await note.getByRole('button', { name: 'Show them now' }).click();
  await saveIn(first);
  await expect(first.getByRole('alert').filter({ hasText: 'Changed meanwhile in another tab or window' })).toBeVisible();
  await expect(first.getByLabel('City')).toHaveValue('Cluj');
  await expect(first.getByLabel('Street')).toHaveValue('Strada Mare 1');
  await saveIn(first);
  await expect(info(first).getByText('Strada Mare 1, Cluj')).toBeVisible();

  // Saved without seeing the other tab's change: refused by the store, shown,
  // and the next save keeps both.
  await first.getByRole('button', { name: 'Edit account info' }).click();
  await first.getByLabel('Country').fill('România');
  await second.reload();
  await second.getByRole('button', { name: 'Edit account info' }).click();
  await second.getByLabel('Account name').fill('Ida Ink & Co');
  await saveIn(second);
  await expect(second.getByRole('heading', { level: 1, name: 'Ida Ink & Co' })).toBeVisible();
  await saveIn(first);
  await expect(first.getByRole('alert').filter({ hasText: 'changed in another tab or window meanwhile' })).toBeVisible();
  await saveIn(first);
  await expect(first.getByRole('heading', { level: 1, name: 'Ida Ink & Co' })).toBeVisible();
  await expect(info(first).getByText('Strada Mare 1, Cluj, România')).toBeVisible();
  errors.forEach((e) => e.assertNone());
});

test('Settings shows whether the data is kept and the storage used', async ({ page }) => {
  const errors = watchForErrors(page);
  await openApp(page);
  // The first save asks the browser to keep the data.
  await createAccount(page, { first: 'Pia', last: 'Persist', email: 'pia@example.com' });
  await expect(page.getByRole('heading', { level: 1, name: 'Pia Persist' })).toBeVisible();
  await page.goto('./#/settings');
  const section = page.getByRole('region', { name: 'Storage' });
  await expect(section.getByTestId('storage-usage')).toHaveText(/^\S+ \S+ used of \S+ \S+ available to Clientbook\.$/);
  const kept = await page.evaluate(() => navigator.storage.persisted());
  await expect(section.getByTestId('persistence')).toHaveText(kept ? /^On:/ : /^Off:/);
  await expect(section.getByRole('button', { name: 'Ask to keep the data' })).toHaveCount(kept ? 0 : 1);
  errors.assertNone();
});
