#!/usr/bin/env node
// Scratch measurement for issue 5 (export at 100,000 contacts): how fast
// IndexedDB gives back every record, depending on how the records are
// stored. Plain JavaScript in headless Chromium (the e2e flags), no app.
//
//   node bench/scratch/layout.mjs [--bundle FILE] [--port 8122] [--reps 3]
//
// FILE is a bundle (default: bench/data/n100000-seed5.json, made by
// `make bench`, or any export). Its records are written into three
// databases, one per layout, with the app's stores and indexes:
//   objects  - each record an object with its fields (+ name_key/email_keys),
//              as the app stored them up to schema version 4;
//   text     - each record { keys the indexes need, json: "<record as JSON>" };
//   chunks   - 1,000 records per value, as one text of JSON lines
//              (no per-record indexes possible: an upper bound).
// Then, alternating, each layout is read back whole (getAll of each store,
// pages of 2,000 records) and turned into the bundle's record lines
// (objects: JSON.stringify per page; text: the stored texts joined).
// Prints ms per layout and repetition.
import { createRequire } from 'node:module';
import { mkdtempSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(join(ROOT, 'tests/e2e/package.json'));
const { chromium } = require('@playwright/test');
const { serveStatic } = await import(join(ROOT, 'tests/e2e/serve.mjs'));

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const BUNDLE = resolve(opt('bundle', join(ROOT, 'bench/data/n100000-seed5.json')));
const PORT = Number(opt('port', 8122));
const REPS = Number(opt('reps', 3));
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

if (!existsSync(BUNDLE)) {
  console.error(`no bundle at ${BUNDLE} (--bundle FILE)`);
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'layout-'));
writeFileSync(join(dir, 'index.html'), '<!doctype html><title>layout</title>');
symlinkSync(BUNDLE, join(dir, 'bundle.json'));
const server = await serveStatic(dir, PORT);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
const page = await browser.newPage();
page.on('console', (m) => console.log('  page:', m.text()));
await page.goto(`http://127.0.0.1:${PORT}/index.html`);

await page.evaluate(async () => {
  const b = await (await fetch('bundle.json')).json();
  const norm = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const STORES = {
    accounts: { key: 'id', idx: [['by_name', 'name_key', false, false]] },
    contacts: { key: 'id', idx: [['by_email', 'email_keys', true, true], ['by_name', 'name_key', false, false]] },
    links: { key: ['account_id', 'contact_id'], idx: [['by_account', 'account_id', false, false], ['by_contact', 'contact_id', false, false]] },
    notes: { key: 'id', idx: [['by_account', 'account_id', false, false]] },
    history: { key: 'id', idx: [['by_account', 'account_id', false, false]] },
  };
  const derived = (store, r) => {
    if (store === 'accounts') return { name_key: norm(r.name) };
    if (store === 'contacts') return { name_key: norm(`${r.last_name} ${r.first_name} ${r.middle_name}`), email_keys: r.emails.map((e) => e.toLowerCase()) };
    return {};
  };
  const keysOf = (store, r) => {
    const k = STORES[store].key;
    const o = {};
    for (const f of Array.isArray(k) ? k : [k]) o[f] = r[f];
    for (const [, f] of STORES[store].idx) if (r[f] !== undefined) o[f] = r[f];
    return o;
  };
  const open = (name, upgrade) => new Promise((res, rej) => {
    const q = indexedDB.open(name, 1);
    q.onupgradeneeded = () => upgrade(q.result);
    q.onsuccess = () => res(q.result);
    q.onerror = () => rej(q.error);
  });
  const done = (tx) => new Promise((res, rej) => { tx.oncomplete = res; tx.onabort = () => rej(tx.error); });
  const req = (r) => new Promise((res, rej) => { r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
  const layouts = {
    objects: {
      schema(db) {
        for (const [s, d] of Object.entries(STORES)) {
          const os = db.createObjectStore(s, { keyPath: d.key });
          for (const [n, k, u, m] of d.idx) os.createIndex(n, k, { unique: u, multiEntry: m });
        }
      },
      record: (s, r) => ({ ...r, ...derived(s, r) }),
      toLine: (page) => JSON.stringify(page),
    },
    text: {
      schema(db) {
        for (const [s, d] of Object.entries(STORES)) {
          const os = db.createObjectStore(s, { keyPath: d.key });
          for (const [n, k, u, m] of d.idx) os.createIndex(n, k === 'name_key' || k === 'email_keys' ? k : k, { unique: u, multiEntry: m });
        }
      },
      record: (s, r) => ({ ...keysOf(s, r), ...derived(s, r), json: JSON.stringify(r) }),
      toLine: (page) => page.map((r) => r.json).join('\n'),
    },
    chunks: {
      schema(db) {
        for (const s of Object.keys(STORES)) db.createObjectStore(s, { keyPath: 'chunk' });
      },
    },
  };
  window.__layouts = layouts;
  window.__write = async (name) => {
    indexedDB.deleteDatabase(name);
    const db = await open(name, layouts[name].schema);
    const t0 = performance.now();
    const tx = db.transaction(Object.keys(STORES), 'readwrite', { durability: 'strict' });
    for (const s of Object.keys(STORES)) {
      const os = tx.objectStore(s);
      if (name === 'chunks') {
        for (let i = 0; i < b[s].length; i += 1000) {
          os.put({ chunk: i / 1000, text: b[s].slice(i, i + 1000).map((r) => JSON.stringify(r)).join('\n') });
        }
      } else {
        for (const r of b[s]) os.put(layouts[name].record(s, r));
      }
    }
    await done(tx);
    db.close();
    return performance.now() - t0;
  };
  window.__read = async (name) => {
    const db = await open(name, () => {});
    const t0 = performance.now();
    const tx = db.transaction(Object.keys(STORES), 'readonly');
    let bytes = 0;
    let records = 0;
    let rawMs = 0;
    for (const s of Object.keys(STORES)) {
      const os = tx.objectStore(s);
      let range = null;
      for (;;) {
        const a = performance.now();
        const page = await req(os.getAll(range, 2000));
        rawMs += performance.now() - a;
        if (name === 'chunks') {
          for (const c of page) { bytes += c.text.length; records += 1; }
        } else {
          bytes += layouts[name].toLine(page).length;
          records += page.length;
        }
        if (page.length < 2000) break;
        const last = page[page.length - 1];
        const key = Array.isArray(os.keyPath) ? os.keyPath.map((k) => last[k]) : last[os.keyPath];
        range = IDBKeyRange.lowerBound(key, true);
      }
    }
    db.close();
    return { ms: performance.now() - t0, rawMs, bytes, records };
  };
  window.__bundleCounts = Object.fromEntries(Object.keys(STORES).map((s) => [s, b[s].length]));
});
console.log('records:', JSON.stringify(await page.evaluate(() => window.__bundleCounts)));
for (const name of ['objects', 'text', 'chunks']) {
  const ms = await page.evaluate((n) => window.__write(n), name);
  console.log(`write ${name}: ${Math.round(ms)} ms (load ${loadavg()[0].toFixed(2)})`);
}
for (let r = 0; r < REPS; r++) {
  for (const name of ['objects', 'text', 'chunks']) {
    const x = await page.evaluate((n) => window.__read(n), name);
    console.log(`rep ${r} read ${name}: total ${Math.round(x.ms)} ms, in getAll ${Math.round(x.rawMs)} ms, ${x.records} values, ${(x.bytes / 1e6).toFixed(1)} MB text (load ${loadavg()[0].toFixed(2)})`);
  }
}
await browser.close();
server.close();
