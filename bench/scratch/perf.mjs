#!/usr/bin/env node
// Scratch measurements for the read path (issue 5): cold start, search key
// -> results painted, accounts list scroll, memory. Seeds N contacts and
// N/2 accounts straight into IndexedDB (plain JS, in the page) once per N
// and keeps that profile as a template under /tmp, then measures on copies.
//
//   node bench/scratch/perf.mjs [--dist dist] [--sizes 1000,10000,100000]
//                               [--port 8117] [--reps 3] [--profile] [--profile-dir /tmp] [--settle ms]
//
// `make bench` (bench/run.mjs) is the reference harness; this one exists to
// measure one change quickly (no import step, data seeded directly).
import { createRequire } from 'node:module';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
const DIST = resolve(opt('dist', join(ROOT, 'dist')));
const SIZES = opt('sizes', '1000,10000,100000').split(',').map(Number);
const PORT = Number(opt('port', 8117));
const REPS = Number(opt('reps', 3));
const PROFILE = args.includes('--profile');
const PROFILE_DIR = opt('profile-dir', tmpdir());
// Milliseconds to wait after the cold start before measuring memory.
const SETTLE = Number(opt('settle', 0));
const TEMPLATES = opt('templates', '/tmp/clientbook-perf-templates');
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
const BASE = `http://127.0.0.1:${PORT}/`;

const pct = (xs, p) => {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return v.length ? v[Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1))] : null;
};
const r1 = (x) => (x == null ? null : Math.round(x * 10) / 10);
const median = (xs) => pct(xs, 50);

async function launch(dir) {
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium', headless: true, args: FLAGS, serviceWorkers: 'block',
    // The interface follows the browser's language; this script reads it in English.
    locale: 'en-US',
  });
  await context.addInitScript(instrument);
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  // PERF_CONSOLE=1: the page's console on stdout (for probes built into a trial build).
  if (process.env.PERF_CONSOLE) page.on('console', (m) => console.log(`[console] ${m.text()}`));
  return { context, page, errors };
}

// ---- in-page functions (self-contained) -----------------------------------

function instrument() {
  if (window.__perf) return;
  const b = (window.__perf = {});
  b.afterPaint = () => new Promise((res) => requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => res(performance.now());
    ch.port2.postMessage(0);
  }));
  addEventListener('TrunkApplicationStarted', (e) => { b.wasm = e.detail && e.detail.wasm; b.appStarted = performance.now(); });
  // Search keys: keydown (capture) starts a sample, the frame after it ends it.
  // Results computed: the app's `clientbook:search-rendered` mark after a key.
  const mark = performance.mark.bind(performance);
  performance.mark = (name, options) => {
    if (name === 'clientbook:search-rendered' && b.computed && b.keyStart !== undefined) {
      b.computed.push(performance.now() - b.keyStart);
      b.keyStart = undefined;
    }
    return mark(name, options);
  };
  addEventListener('keydown', (e) => {
    if (!b.keys || !e.target || e.target.id !== 'client-search') return;
    const start = e.timeStamp;
    b.keyStart = start;
    b.pending = b.afterPaint().then((t) => b.keys.push(t - start));
  }, true);
}

function coldWatcher(probe) {
  if (!location.hash.startsWith('#/clients')) return;
  const b = window.__perf;
  const cold = (b.cold = {});
  cold.done = new Promise((res) => (cold.finish = res));
  const rowSel = '[role="table"][aria-label="Accounts"] .vbody [role="row"]';
  const optSel = '#client-search-results [role="option"]';
  let stage = 0;
  const check = () => {
    if (stage === 0) {
      const input = document.getElementById('client-search');
      if (!input || !document.querySelector(rowSel)) return;
      stage = 1;
      cold.rowsInDom = performance.now();
      b.afterPaint().then((t) => (cold.rowsPainted = t));
      input.focus();
      input.value = probe;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }
    if (stage === 1 && document.querySelector(optSel)) {
      stage = 2;
      obs.disconnect();
      b.afterPaint().then((t) => { cold.usable = t; cold.finish(); });
    }
  };
  const obs = new MutationObserver(check);
  obs.observe(document, { childList: true, subtree: true });
}

async function coldResult(timeoutMs) {
  const b = window.__perf;
  await Promise.race([b.cold.done, new Promise((r) => setTimeout(r, timeoutMs))]);
  const { finish, done, ...t } = b.cold;
  return { ...t, appStarted: b.appStarted };
}

function wasmBytes() {
  const w = window.__perf && window.__perf.wasm;
  return w && w.memory ? w.memory.buffer.byteLength : null;
}

async function scrollList({ maxRows }) {
  const b = window.__perf;
  const table = document.querySelector('[role="table"][aria-label="Accounts"]');
  const scroller = table.querySelector('.vscroll');
  const rowEls = () => table.querySelectorAll('.vbody [role="row"]');
  const total = Number(table.getAttribute('aria-rowcount')) - 1;
  const rows = Math.min(maxRows, total);
  const target = Math.max(0, Math.round(rows * 44 - scroller.clientHeight));
  const step = scroller.clientHeight;
  scroller.scrollTop = 0;
  await b.afterPaint();
  const idle = [];
  await new Promise((res) => {
    let last;
    const tick = (t) => {
      if (last !== undefined) idle.push(t - last);
      last = t;
      if (idle.length >= 30) res(); else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const deltas = [];
  let maxEls = rowEls().length;
  await new Promise((res) => {
    let last;
    const frame = (t) => {
      if (last !== undefined) deltas.push(t - last);
      last = t;
      maxEls = Math.max(maxEls, rowEls().length);
      if (scroller.scrollTop >= target - 1) return res();
      scroller.scrollTop = Math.min(target, scroller.scrollTop + step);
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  await b.afterPaint();
  idle.sort((a, b) => a - b);
  return { rows, total, deltas, idle: idle[Math.floor(idle.length / 2)], maxEls: Math.max(maxEls, rowEls().length) };
}

/** Seeds a practice: n contacts, n/2 accounts, deterministic. */
async function seedPractice(n) {
  let s = 0x2545f491 ^ n;
  const rnd = () => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return (s >>> 0) / 4294967296; };
  const pick = (a) => a[Math.floor(rnd() * a.length)];
  const hex = (prefix, i) => (prefix + i.toString(16)).padStart(32, '0').slice(-32);
  const fold = (x) => x.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/ß/g, 'ss').trim();
  const firsts = ['Jürgen', 'Sofía', 'Zoë', 'Émile', 'Ștefan', 'Ana', 'Kate', 'Dan', 'Lucía', 'Björn', 'Chloé', 'Mihai',
    'Anneke', 'José', 'Frédéric', 'Maximilian', 'Ioana', 'Sanne', 'Noël', 'Greta', 'Pieter', 'Léa', 'Andrei', 'Jens'];
  const lasts = ['Müller', 'Ortega', 'Adams', 'Blanc', 'Popescu', 'de Vries', 'Smith', 'Jones', 'Schröder', 'Dubois',
    'Țăran', 'Jansen', 'Ionescu', 'Fernández', 'Weiß', 'Bakker', 'Lefèvre', 'García', 'Nowak', 'Østergaard', 'Brown',
    'Dumitrescu', 'Visser', 'Moreau', 'Keller', 'Hoffmann', 'Martínez', 'Peeters', 'Rousseau', 'Stan'];
  const domains = ['example.com', 'mail.example', 'work.example.org', 'firma.example.de', 'bureau.example.fr'];
  const t0 = Date.UTC(2024, 0, 1);
  const tags = Array.from({ length: 8 }, (_, i) => ({ item: 'Tag', id: hex('7a9', i), name: `Tag ${i}`, color: 'red' }));
  const members = Array.from({ length: 4 }, (_, i) => ({ item: 'Member', id: hex('3e3', i), name: `Member ${i}`,
    email: `member${i}@firm.example`, role: i === 0 ? 'Owner' : 'Employee', view_all_accounts: i !== 2, manage_accounts: true }));
  const db = await new Promise((res, rej) => { const r = indexedDB.open('clientbook'); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
  const nAcc = Math.floor(n / 2);
  const contacts = [];
  const start = performance.now();
  await new Promise((res, rej) => {
    const tx = db.transaction(['accounts', 'contacts', 'links', 'catalog'], 'readwrite');
    tx.oncomplete = res; tx.onabort = () => rej(tx.error);
    for (const t of [...tags, ...members]) tx.objectStore('catalog').put(t);
    for (let i = 0; i < n; i++) {
      const first = pick(firsts), last = pick(lasts);
      const ne = 1 + Math.floor(rnd() * 3);
      const emails = [];
      for (let e = 0; e < ne; e++) emails.push(`${fold(first).replace(/[^a-z]/g, '')}.${fold(last).replace(/[^a-z]/g, '')}${i}${e ? `.${e}` : ''}@${pick(domains)}`);
      const created = t0 + i * 60000;
      const c = { id: hex('c', i), first_name: first, middle_name: rnd() < 0.1 ? 'Maria' : '', last_name: last, emails,
        phones: rnd() < 0.7 ? [`+49 30 ${String(1000000 + i)}`] : [], address: { street: `Hauptstraße ${i % 200}`, city: 'Berlin', state: '', postal_code: '10115', country: 'DE' },
        date_of_birth: '', tags: rnd() < 0.3 ? [pick(tags).id] : [], custom: {}, created_at: created, updated_at: created };
      c.name_key = fold(`${c.last_name} ${c.first_name} ${c.middle_name}`);
      c.email_keys = emails.map((e) => e.toLowerCase());
      contacts.push(c);
      tx.objectStore('contacts').put(c);
    }
    for (let i = 0; i < nAcc; i++) {
      const a = contacts[2 * i], b = contacts[2 * i + 1];
      const company = rnd() < 0.25;
      const name = company ? `${a.last_name} ${pick(['GmbH', 'SRL', 'BV', 'SARL', 'LLC'])} ${i}` : `${a.first_name} ${a.last_name}`;
      const created = t0 + i * 120000;
      const acc = { id: hex('a', i), name, type: company ? 'Company' : (rnd() < 0.05 ? 'Other' : 'Individual'), company_name: company ? name : '',
        address: { street: '', city: '', state: '', postal_code: '', country: '' },
        tags: rnd() < 0.5 ? [pick(tags).id] : [], team: rnd() < 0.6 ? [pick(members).id] : [], roles: [], custom: {}, folder_template: null,
        has_photo: false, archived: rnd() < 0.05, created_at: created, updated_at: created, name_key: fold(name) };
      tx.objectStore('accounts').put(acc);
      const linked = [a, b];
      if (rnd() < 0.1) linked.push(contacts[Math.floor(rnd() * n)]);
      const seen = new Set();
      linked.forEach((c, k) => {
        if (!c || seen.has(c.id)) return;
        seen.add(c.id);
        const invited = rnd() < 0.05;
        tx.objectStore('links').put({ account_id: acc.id, contact_id: c.id, description: k === 0 && rnd() < 0.3 ? 'Primary contact' : '',
          signer_priority: null, email_access: c.email_keys.map((e, j) => ({ email: e, login: invited && j === 0, notify: true, email_sync: false,
            signatory: invited && j === 0, notify_prefs: { messages: true, documents: true, organizers: true, invoices: true, signatures: true },
            invited_at: invited && j === 0 ? created : null, activated_at: null })) });
      });
    }
  });
  db.close();
  return { ms: performance.now() - start, probe: fold(contacts[Math.floor(n / 3)].last_name).slice(0, 4),
    queries: Array.from({ length: 50 }, (_, k) => {
      const c = contacts[Math.floor((k * 7919) % n)];
      switch (k % 5) {
        case 0: return fold(c.last_name).slice(0, 5);
        case 1: return `${fold(c.first_name)} ${fold(c.last_name)}`.slice(0, 10);
        case 2: return c.email_keys[0].slice(c.email_keys[0].indexOf('.') + 1, c.email_keys[0].indexOf('@') + 4);
        case 3: return c.email_keys[0].slice(c.email_keys[0].indexOf('@') + 1, c.email_keys[0].indexOf('@') + 8);
        default: return fold(c.first_name).slice(0, 3);
      }
    }) };
}

// ---- driver ----------------------------------------------------------------

async function waitForApp(page) {
  await page.getByRole('navigation', { name: 'Main' }).waitFor({ timeout: 120000 });
  await page.getByText('Opening your data…').waitFor({ state: 'detached', timeout: 600000 });
}

async function template(n) {
  const dir = join(TEMPLATES, `n${n}`);
  const meta = join(dir, 'perf-meta.json');
  if (existsSync(meta)) return { dir, meta: JSON.parse((await import('node:fs')).readFileSync(meta, 'utf8')) };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const { context, page } = await launch(dir);
  await page.goto(`${BASE}#/settings`);
  await waitForApp(page);
  const seeded = await page.evaluate(seedPractice, n);
  console.log(`seeded N=${n} in ${Math.round(seeded.ms)} ms`);
  await context.close();
  writeFileSync(meta, JSON.stringify(seeded));
  return { dir, meta: seeded };
}

async function measure(n, reps) {
  const { dir: tdir, meta } = await template(n);
  const work = mkdtempSync(join(tmpdir(), `perf-${n}-`));
  cpSync(tdir, work, { recursive: true });
  const out = { n, cold: [], mem: null, search: null, scroll: null };
  try {
    // Warm-up visit: the build's first start on this database (upgrades, if any).
    {
      const { context, page } = await launch(work);
      await page.goto(`${BASE}#/clients`);
      await waitForApp(page);
      await page.locator('[role="table"][aria-label="Accounts"] .vbody [role="row"]').first().waitFor({ timeout: 600000 });
      await context.close();
    }
    for (let rep = 0; rep < reps; rep++) {
      const { context, page, errors } = await launch(work);
      await context.addInitScript(coldWatcher, meta.probe);
      const cdp = await context.newCDPSession(page);
      const last = rep === reps - 1;
      if (PROFILE && last) { await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 200 }); await cdp.send('Profiler.start'); }
      await page.goto(`${BASE}#/clients`);
      const cold = await page.evaluate(coldResult, 600000);
      if (PROFILE && last) {
        const { profile } = await cdp.send('Profiler.stop');
        writeFileSync(join(PROFILE_DIR, `perf-cold-n${n}.cpuprofile`), JSON.stringify(profile));
      }
      out.cold.push(cold);
      if (last) {
        if (SETTLE) await page.waitForTimeout(SETTLE);
        await cdp.send('HeapProfiler.collectGarbage');
        const heap = await cdp.send('Runtime.getHeapUsage');
        const wasm = await page.evaluate(wasmBytes);
        out.mem = { js: heap.usedSize, wasm, total: heap.usedSize + wasm };
        // Search: every query key by key.
        const input = page.locator('#client-search');
        await input.focus();
        await page.evaluate(() => { window.__perf.keys = []; window.__perf.computed = []; });
        if (PROFILE) { await cdp.send('Profiler.start'); }
        for (const q of meta.queries) {
          await page.keyboard.press('Escape');
          await page.evaluate(() => window.__perf.afterPaint());
          await page.evaluate(() => (window.__perf.keys = window.__perf.keys || []));
          for (const ch of q) {
            await page.keyboard.type(ch);
            await page.evaluate(() => window.__perf.pending);
          }
        }
        if (PROFILE) {
          const { profile } = await cdp.send('Profiler.stop');
          writeFileSync(join(PROFILE_DIR, `perf-search-n${n}.cpuprofile`), JSON.stringify(profile));
        }
        const keys = await page.evaluate(() => window.__perf.keys);
        const computed = await page.evaluate(() => window.__perf.computed);
        out.search = { keys: keys.length, p50: pct(keys, 50), p95: pct(keys, 95), max: Math.max(...keys), computedP50: pct(computed, 50), computedP95: pct(computed, 95) };
        await page.keyboard.press('Escape');
        await cdp.send('HeapProfiler.collectGarbage');
        const heap2 = await cdp.send('Runtime.getHeapUsage');
        out.memSearch = { js: heap2.usedSize, wasm: await page.evaluate(wasmBytes) };
        if (PROFILE) { await cdp.send('Profiler.start'); }
        const sc = await page.evaluate(scrollList, { maxRows: 10000 });
        if (PROFILE) {
          const { profile } = await cdp.send('Profiler.stop');
          writeFileSync(join(PROFILE_DIR, `perf-scroll-n${n}.cpuprofile`), JSON.stringify(profile));
        }
        out.scroll = { rows: sc.rows, total: sc.total, frames: sc.deltas.length, p50: pct(sc.deltas, 50), p95: pct(sc.deltas, 95), max: Math.max(...sc.deltas), maxEls: sc.maxEls, idle: sc.idle };
        out.errors = errors;
      }
      await context.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const rows = out.cold.map((c) => c.rowsPainted), usable = out.cold.map((c) => c.usable);
  const summary = {
    n, coldRowsMs: r1(median(rows)), coldUsableMs: r1(median(usable)), coldAll: usable.map((x) => Math.round(x)),
    appStartedMs: r1(median(out.cold.map((c) => c.appStarted))),
    memMB: r1(out.mem.total / 1e6), memJsMB: r1(out.mem.js / 1e6), memWasmMB: r1(out.mem.wasm / 1e6),
    memAfterSearchMB: r1((out.memSearch.js + out.memSearch.wasm) / 1e6),
    searchKeys: out.search.keys, searchP50: r1(out.search.p50), searchP95: r1(out.search.p95), searchMax: r1(out.search.max), searchComputedP50: r1(out.search.computedP50), searchComputedP95: r1(out.search.computedP95),
    scrollRows: out.scroll.rows, scrollFrames: out.scroll.frames, scrollP95: r1(out.scroll.p95), scrollMax: r1(out.scroll.max), scrollIdleFrame: r1(out.scroll.idle), rowEls: out.scroll.maxEls,
    errors: out.errors,
  };
  console.log(JSON.stringify(summary));
  return summary;
}

const server = await serveStatic(DIST, PORT, '/');
try {
  const all = [];
  for (const n of SIZES) all.push(await measure(n, REPS));
  writeFileSync(opt('out', '/tmp/perf-last.json'), JSON.stringify(all, null, 1));
} finally {
  server.close();
}
