// Languages: the interface follows the browser's language (English when
// Clientbook does not have it), can be chosen in Settings (at once, and kept
// after a reload), and shows dates and numbers in the language's format.
// The other suites run with an English browser (playwright.config.js).
import { test, expect } from '@playwright/test';
import { watchForErrors } from './helpers.js';
import { accountRecord, contactRecord, hexId, linkRecord, seed } from './seed.js';
import { generate } from './gen-bundle.js';

/** Opens the app at `hash` and waits until the page shows `heading`. */
async function open(page, hash, heading) {
  await page.goto(`./${hash}`);
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
}

test.describe('a German browser', () => {
  test.use({ locale: 'de-DE' });

  test('gets the interface in German', async ({ page }) => {
    const errors = watchForErrors(page);
    await open(page, '#/clients', 'Mandanten');
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    const nav = page.getByRole('navigation', { name: 'Hauptnavigation' });
    await expect(nav.getByRole('link', { name: 'Import & Export' })).toBeVisible();
    await expect(page.getByText('Noch keine Mandantenkonten.')).toBeVisible();

    // Settings say the language follows the browser.
    await nav.getByRole('link', { name: 'Einstellungen' }).click();
    const language = page.getByRole('combobox', { name: 'Sprache' });
    await expect(language).toHaveValue('browser');
    await expect(language.locator('option:checked')).toHaveText('Wie der Browser (Deutsch)');

    // Problems are worded in German too, with the field named.
    await page.getByRole('button', { name: 'Tag hinzufügen' }).click();
    await page.getByRole('button', { name: 'Speichern' }).click();
    await expect(page.locator('#tag-name-error')).toHaveText('Tag-Name ist erforderlich');
    errors.assertNone();
  });

  test('imports a bundle in German: progress, problems with their place, take theirs, history', async ({ page }) => {
    const errors = watchForErrors(page);
    await open(page, '#/clients', 'Mandanten');
    const ana = contactRecord({ first: 'Ana', last: 'Pop', email: 'ana@example.com' });
    const here = accountRecord({ name: 'Schon hier' });
    await seed(page, { accounts: [here], contacts: [ana], links: [linkRecord({ account: here.id, contact: ana.id, email: 'ana@example.com' })] });
    await open(page, '#/data', 'Import & Export');
    // Every label and count any progress bar shows.
    await page.evaluate(() => {
      const seen = (window.__bars = new Set());
      const look = () => document.querySelectorAll('progress').forEach((p) => seen.add(`${p.getAttribute('aria-label')}: ${p.getAttribute('aria-valuetext')}`));
      new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    const input = page.getByLabel('Paketdatei (.json)');
    const asFile = (name, text) => ({ name, mimeType: 'application/json', buffer: Buffer.from(text) });

    // Broken JSON: where the reader stopped, in German.
    const broken = '{"format": "clientbook-bundle", "accounts": [1, 2}';
    await input.setInputFiles(asFile('kaputt.json', broken));
    await expect(page.getByRole('alert')).toContainText(
      `Die Datei ist kein gültiges JSON: erwartet: \`,\` oder \`]\`, gefunden: \`}\` (Zeile 1, Spalte ${broken.length})`);

    // A record with a problem: its path as it is, the problem in German.
    const bad = generate({ accounts: 3, seed: 11 });
    bad.links[0].account_id = 'f'.repeat(32);
    await input.setInputFiles(asFile('fehler.json', JSON.stringify(bad)));
    await expect(page.getByRole('alert')).toContainText(`links[0].account_id: kein Konto hat die ID ${'f'.repeat(32)}`);

    // A large file: the bars are worded and counted in German.
    const big = generate({ accounts: 2000, seed: 12 });
    big.contacts[0].emails = ['ana@example.com'];
    big.links.filter((l) => l.contact_id === big.contacts[0].id).forEach((l) => { l.emails = l.emails.slice(0, 1); l.emails[0].email = 'ana@example.com'; });
    await input.setInputFiles(asFile('gross.json', JSON.stringify(big)));
    await expect(page.getByRole('heading', { name: 'Vorschau von gross.json' })).toBeVisible({ timeout: 120_000 });
    await expect(page.getByRole('row', { name: /^Konten/ }).getByRole('cell').first()).toHaveText('2.000');
    const c0 = big.contacts[0];
    const name = [c0.first_name, c0.middle_name, c0.last_name].filter(Boolean).join(' ');
    await expect(page.getByText(`ana@example.com: „${name}“ in der Datei, „Ana Pop“ hier`)).toBeVisible();
    await page.getByLabel('Die aus der Datei übernehmen (die E-Mail-Adresse geht an den Kontakt aus der Datei)').check();
    await expect(page.getByText(`ana@example.com wechselt von „Ana Pop“ (auf diesem Gerät) zu „${name}“ (aus der Datei); der Verlauf ihrer Konten vermerkt das.`)).toBeVisible();
    await page.getByRole('button', { name: 'Importieren', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Import abgeschlossen.' })).toBeVisible({ timeout: 120_000 });
    const bars = await page.evaluate(() => [...window.__bars]);
    expect(bars.some((b) => /^Datensätze werden geprüft: [\d.]+ von [\d.]+ Datensätzen$/.test(b)), bars.join('\n')).toBe(true);
    expect(bars.some((b) => /^Import läuft: [\d.]+ von [\d.]+ Datensätzen$/.test(b)), bars.join('\n')).toBe(true);

    // The history of the account here says where the email went.
    await page.goto(`./#/accounts/${here.id}/info`);
    await expect(page.getByRole('region', { name: 'Änderungsverlauf' }))
      .toContainText(`E-Mail-Adresse ana@example.com durch einen Import von Kontakt „Ana Pop“ zu „${name}“ verschoben`);
    errors.assertNone();
  });
});

test.describe('a browser in a language Clientbook does not have', () => {
  test.use({ locale: 'es-ES' });

  test('gets English', async ({ page }) => {
    await open(page, '#/clients', 'Clients');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByText('No client accounts yet.')).toBeVisible();
  });
});

test('choosing a language in Settings changes the interface at once and survives a reload', async ({ page }) => {
  const errors = watchForErrors(page);
  await open(page, '#/settings', 'Settings');
  await page.getByRole('combobox', { name: 'Language' }).selectOption('fr');

  // At once, without a reload; the choice keeps keyboard focus.
  await expect(page.getByRole('heading', { level: 1, name: 'Paramètres' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Import et export' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  const language = page.getByRole('combobox', { name: 'Langue' });
  await expect(language).toBeFocused();
  await expect(language).toHaveValue('fr');

  // Kept on this device.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Paramètres' })).toBeVisible();
  await page.getByRole('link', { name: 'Clients' }).first().click();
  await expect(page.getByText('Aucun compte client pour l’instant.')).toBeVisible();

  // Back to the browser's language (English here).
  await page.getByRole('link', { name: 'Paramètres' }).click();
  await page.getByRole('combobox', { name: 'Langue' }).selectOption('browser');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  errors.assertNone();
});

test.describe('a French browser', () => {
  test.use({ locale: 'fr-FR' });

  test('shows dates and numbers in the French format', async ({ page }) => {
    const errors = watchForErrors(page);
    await open(page, '#/clients', 'Clients');
    await expect(page.getByText('Aucun compte client pour l’instant.')).toBeVisible();
    const fee = hexId('f1');
    const account = accountRecord({ name: 'Dupont SARL', type: 'Company', created: Date.UTC(2026, 0, 5, 12) });
    account.custom = { [fee]: '1234567.5' };
    const contact = contactRecord({ first: 'Claire', last: 'Dupont', email: 'claire@dupont.example' });
    await seed(page, {
      accounts: [account],
      contacts: [contact],
      links: [linkRecord({ account: account.id, contact: contact.id, email: 'claire@dupont.example' })],
      catalog: [{ item: 'Field', id: fee, target: 'Account', label: 'Honoraires', kind: 'Number' }],
    });
    await page.reload();

    // The list: the type in French, the date as 05/01/2026.
    const row = page.getByRole('row', { name: /Dupont SARL/ });
    await expect(row.getByRole('cell', { name: 'Entreprise' })).toBeVisible();
    await expect(row.getByRole('cell', { name: '05/01/2026' })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: '1 sur 1 compte' })).toBeVisible();

    // The profile: a number grouped with narrow no-break spaces and a
    // decimal comma; user data (the field's own label) as typed.
    await page.goto(`./#/accounts/${account.id}/info`);
    const facts = page.locator('dl.facts');
    await expect(facts.getByText('Honoraires')).toBeVisible();
    await expect(facts.getByText('1\u202f234\u202f567,5')).toBeVisible();
    await expect(facts.getByText('05/01/2026')).toBeVisible();
    errors.assertNone();
  });
});
