// Scratch measurement of the bundle import path (not the `make bench`
// harness): the release build in dist/, Debian's Chromium, generated data.
//
//   node scripts/measure-import.mjs [port] [accounts...]    (default: 8103 10000)
//   DIST=/other/dist node scripts/measure-import.mjs ...     (another build)
//   NO_BASELINE=1 ...     (skip the plain-JavaScript baseline; no ratios)
//   PROFILE_EXPORT=1 ...  (a CPU profile of the export: top self time)
//
// For each size: a plain-JavaScript baseline writes the same records into a
// fresh database with the same stores and indexes (one transaction, a put
// per record, durability strict); then the app imports the file through
// Import & export (read and check, preview, write), exports everything and
// undoes the import. Prints the app's own phase marks (performance.measure
// entries named `clientbook:*`), the longest main-thread block (long tasks
// and gaps between animation frames) and the totals.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '../tests/e2e/specs/gen-bundle.js';
import { serveStatic } from '../tests/e2e/serve.mjs';
import { topSelfTime } from '../bench/lib/profile.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../tests/e2e/package.json'));
const { chromium } = require('@playwright/test');

const port = Number(process.argv[2] ?? 8103);
const sizes = process.argv.slice(3).map(Number);
if (!sizes.length) sizes.push(10_000);

// DIST=<folder> measures another build (default: this checkout's dist/).
const dist = process.env.DIST ?? path.join(here, '../dist');
const server = await serveStatic(dist, port, '/');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});

/** The baseline: same stores and indexes as schema.rs, one transaction. */
async function baseline(page) {
  return page.evaluate(async () => {
    // The records as the app stores them (derived index fields added in
    // place: a 124 MB file as objects is close to the renderer's heap limit).
    const b = await (await fetch('./measure-bundle.json')).json();
    const norm = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    const accounts = b.accounts, contacts = b.contacts, links = b.links;
    for (const a of accounts) { a.has_photo = false; a.name_key = norm(a.name); }
    for (const c of contacts) {
      c.name_key = norm(`${c.last_name} ${c.first_name} ${c.middle_name}`);
      c.email_keys = c.emails.map((e) => e.toLowerCase());
    }
    for (const l of links) { l.email_access = l.emails; delete l.emails; }
    const catalog = [...b.catalog.tags, ...b.catalog.members, ...b.catalog.roles, ...b.catalog.fields, ...b.catalog.templates];
    const name = `baseline-${Date.now()}`;
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open(name, 1);
      open.onupgradeneeded = () => {
        const d = open.result;
        d.createObjectStore('accounts', { keyPath: 'id' }).createIndex('by_name', 'name_key');
        const c = d.createObjectStore('contacts', { keyPath: 'id' });
        c.createIndex('by_email', 'email_keys', { unique: true, multiEntry: true });
        c.createIndex('by_name', 'name_key');
        const l = d.createObjectStore('links', { keyPath: ['account_id', 'contact_id'] });
        l.createIndex('by_account', 'account_id');
        l.createIndex('by_contact', 'contact_id');
        d.createObjectStore('meta', { keyPath: 'key' });
        d.createObjectStore('catalog', { keyPath: 'id' });
        d.createObjectStore('notes', { keyPath: 'id' }).createIndex('by_account', 'account_id');
        d.createObjectStore('history', { keyPath: 'id' }).createIndex('by_account', 'account_id');
        d.createObjectStore('photos', { keyPath: 'account_id' });
      };
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const t0 = performance.now();
    await new Promise((resolve, reject) => {
      const tx = db.transaction(['accounts', 'contacts', 'links', 'catalog', 'notes', 'history'], 'readwrite', { durability: 'strict' });
      for (const x of catalog) tx.objectStore('catalog').put(x);
      for (const x of accounts) tx.objectStore('accounts').put(x);
      for (const x of contacts) tx.objectStore('contacts').put(x);
      for (const x of links) tx.objectStore('links').put(x);
      for (const x of b.notes) tx.objectStore('notes').put(x);
      for (const x of b.history) tx.objectStore('history').put(x);
      tx.oncomplete = resolve;
      tx.onabort = () => reject(tx.error);
    });
    const ms = performance.now() - t0;
    db.close();
    return { ms, name, records: catalog.length + accounts.length + contacts.length + links.length + b.notes.length + b.history.length };
  });
}

/** Reading everything back from the baseline database (what an export
 * must at least do), then deleting it. In its own call, so the records
 * written above can be garbage-collected first. */
async function readBaseline(page, name) {
  return page.evaluate(async (name) => {
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const t1 = performance.now();
    const stores = ['catalog', 'accounts', 'contacts', 'links', 'notes', 'history'];
    const rtx = db.transaction(stores);
    let n = 0;
    await Promise.all(stores.map((s) => new Promise((resolve, reject) => {
      const r = rtx.objectStore(s).getAll();
      r.onsuccess = () => { n += r.result.length; resolve(); };
      r.onerror = () => reject(r.error);
    })));
    const readMs = performance.now() - t1;
    db.close();
    await new Promise((resolve) => { const r = indexedDB.deleteDatabase(name); r.onsuccess = r.onerror = resolve; });
    return readMs;
  }, name);
}

/** Starts watching the main thread: long tasks and animation-frame gaps. */
async function watch(page) {
  await page.evaluate(() => {
    const w = (window.__watch = { longest: 0, tasks: 0, frames: 0, gap: 0, last: performance.now(), on: true, big: [] });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (!w.on) continue;
        w.tasks++; w.longest = Math.max(w.longest, e.duration);
        if (e.duration > 150) w.big.push(`${Math.round(e.startTime)}+${Math.round(e.duration)}`);
      }
    }).observe({ type: 'longtask' });
    const tick = (t) => {
      if (!w.on) return;
      w.frames++; w.gap = Math.max(w.gap, t - w.last); w.last = t;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}
async function stopWatch(page) {
  return page.evaluate(() => { const w = window.__watch; w.on = false; return { longest: Math.round(w.longest), longTasks: w.tasks, frames: w.frames, maxFrameGap: Math.round(w.gap), over150: w.big.join(' ') }; });
}
async function marks(page) {
  return page.evaluate(() => performance.getEntriesByType('measure')
    .filter((m) => m.name.startsWith('clientbook:'))
    .map((m) => `${m.name.slice(11)} ${Math.round(m.duration)} (at ${Math.round(m.startTime)})`));
}

for (const n of sizes) {
  // Served by the static server (a route would copy 100+ MB through the
  // DevTools protocol); removed at the end.
  const file = path.join(dist, 'measure-bundle.json');
  const bundle = generate({ accounts: n, seed: 3 });
  fs.writeFileSync(file, JSON.stringify(bundle));
  const size = fs.statSync(file).size;
  const counts = `${bundle.accounts.length} accounts, ${bundle.contacts.length} contacts, ${bundle.links.length} links`;
  console.log(`\n== ${counts}; file ${(size / 1e6).toFixed(1)} MB`);
  const context = await browser.newContext({ baseURL: `http://127.0.0.1:${port}/`, acceptDownloads: true, serviceWorkers: 'block' });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') console.log('console error:', m.text()); });
  await page.goto('./#/data');
  await page.getByRole('heading', { name: 'Import & export', level: 1 }).waitFor();
  await page.getByText('Opening your data…').waitFor({ state: 'detached' }).catch(() => {});

  const base = process.env.NO_BASELINE ? { ms: NaN, readMs: NaN, records: 0, name: '' } : await baseline(page);
  if (!process.env.NO_BASELINE) base.readMs = await readBaseline(page, base.name);
  console.log(`baseline (raw IndexedDB, ${base.records} records): write ${Math.round(base.ms)} ms, read everything (getAll) ${Math.round(base.readMs)} ms`);

  await watch(page);
  const t0 = Date.now();
  await page.getByLabel('Bundle file (.json)').setInputFiles(file);
  await page.getByRole('heading', { name: /^Preview of / }).waitFor({ timeout: 600_000 });
  await page.getByRole('row', { name: /^Accounts/ }).waitFor({ timeout: 600_000 });
  const t1 = Date.now();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Import finished.' }).waitFor({ timeout: 600_000 });
  const t2 = Date.now();
  const blocked = await stopWatch(page);
  console.log(`read+check+plan ${t1 - t0} ms; write ${t2 - t1} ms; total ${t2 - t0} ms; ratio to baseline ${((t2 - t0) / base.ms).toFixed(2)} (write alone ${((t2 - t1) / base.ms).toFixed(2)})`);
  console.log('main thread during import:', JSON.stringify(blocked));

  await watch(page);
  const cdp = process.env.PROFILE_EXPORT ? await context.newCDPSession(page) : null;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
    await cdp.send('Profiler.start');
  }
  const t3 = Date.now();
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 600_000 }),
    page.getByRole('button', { name: 'Export everything' }).click(),
  ]);
  await page.getByRole('status').filter({ hasText: 'Downloaded' }).waitFor({ timeout: 600_000 });
  const t4 = Date.now();
  const out = await download.path();
  if (cdp) {
    const { profile } = await cdp.send('Profiler.stop');
    for (const f of topSelfTime(profile, 15)) console.log(`  ${Math.round(f.ms)} ms ${(f.share * 100).toFixed(1)}% ${f.name}`);
  }
  console.log(`export ${t4 - t3} ms, ratio to the raw read ${((t4 - t3) / base.readMs).toFixed(2)} (${(fs.statSync(out).size / 1e6).toFixed(1)} MB); main thread: ${JSON.stringify(await stopWatch(page))}`);

  await watch(page);
  const t5 = Date.now();
  await page.getByRole('button', { name: 'Undo last import' }).click();
  await page.getByText('The last import was undone.').waitFor({ timeout: 600_000 });
  const t6 = Date.now();
  console.log(`undo ${t6 - t5} ms; main thread: ${JSON.stringify(await stopWatch(page))}`);
  console.log('app marks (ms):', (await marks(page)).join(', ') || '(none)');
  await context.close();
  fs.unlinkSync(file);
}
await browser.close();
server.close();
