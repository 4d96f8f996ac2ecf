#!/usr/bin/env node
// Scratch: the cold start alone, on a browser profile that holds N contacts
// imported through the app (as `make bench` does), kept as a template so
// each change is measured in seconds, not minutes.
//
// The app starts from its service worker's cache, so a profile serves the
// build that registered it, whatever --dist says. The template records
// which build that was (clientbook-build.txt); another build gets a copy
// of it of its own (`TEMPLATE@build`: the same data, the service worker
// left out, then registered by one visit with this build).
//
//   node bench/scratch/cold.mjs [--dist dist] [--n 100000] [--reps 3] [--port 8120]
//                               [--template /tmp/cold-template-N] [--profile FILE]
//                               [--search] [--samples FILE] [--profile-search FILE]
//
// Which start a copy measures: the template is closed right after its
// import, so a copy of it starts as the first start after an import does
// (LevelDB's compaction still to do, the import's undo log still there);
// a `TEMPLATE@build` copy has had one more visit, in which the browser
// deleted that undo log, so it starts as the next day does (every open
// then steps over the deleted log: README.md, "Seventh pass"). Compare
// builds only on copies made the same way.
//
// Prints, per repetition: app started, rows in the DOM, rows painted, search
// results painted (ms from navigation), and the memory after the start.
// `--search`: then `make bench`'s search session (measure 3) in the same
// page, with the app's part of a key (key -> mark) by the key's place in its
// query; `--samples FILE` keeps every key; `--profile-search FILE` keeps a
// CPU profile of the session and prints its top functions (named).
import { createRequire } from 'node:module';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as inpage from '../lib/inpage.js';
import { ensureBundle, importParts, pickQueries, probeQuery } from '../lib/data.mjs';
import { byPosition, searchSession } from '../lib/search.mjs';
import { topSelfTime } from '../lib/profile.mjs';
import { wasmNames } from '../wasm-size.mjs';

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
const N = Number(opt('n', 100000));
const REPS = Number(opt('reps', 3));
const PORT = Number(opt('port', 8120));
const TEMPLATE = opt('template', `/tmp/cold-template-${N}`);
const PROFILE = opt('profile', null);
const PROFILE_SEARCH = opt('profile-search', null);
const SEARCH = args.includes('--search') || Boolean(PROFILE_SEARCH);
const SAMPLES = opt('samples', null);
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', ...(process.env.COLD_FLAGS ? process.env.COLD_FLAGS.split(' ') : [])];
const BASE = `http://127.0.0.1:${PORT}/`;
const TIMEOUT = 10 * 60_000;

async function launch(dir) {
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium', headless: true, args: FLAGS, locale: 'en-US',
  });
  await context.addInitScript(inpage.instrument);
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => console.log(`pageerror: ${e.message}`));
  if (process.env.COLD_CONSOLE) page.on('console', (m) => console.log(`[console] ${m.text()}`));
  return { context, page };
}

const bundlePath = await ensureBundle(ROOT, N, 5, { release: true });
const bundle = JSON.parse(readFileSync(bundlePath, 'utf8'));
const probe = probeQuery(bundle);
const server = await serveStatic(DIST, PORT, '/');
// The build: its wasm file's name, which holds a hash of its content.
const BUILD = readdirSync(DIST).find((f) => f.endsWith('_bg.wasm')) ?? 'unknown';
const MARK = 'clientbook-build.txt';
const builtBy = (dir) => (existsSync(join(dir, MARK)) ? readFileSync(join(dir, MARK), 'utf8') : null);
let template = TEMPLATE;
try {
  if (!existsSync(TEMPLATE)) {
    const { context, page } = await launch(TEMPLATE);
    await page.goto(`${BASE}#/data`);
    await page.getByRole('heading', { level: 1, name: 'Import & export' }).waitFor({ timeout: TIMEOUT });
    await page.evaluate(() => navigator.serviceWorker?.ready);
    for (const file of importParts(bundlePath, bundle)) {
      await page.evaluate(inpage.armImport);
      await page.setInputFiles('#import-file', file);
      const imp = await page.evaluate(inpage.importResult, TIMEOUT);
      console.log(`imported ${file}: ${Math.round(imp.donePainted - imp.selected)} ms${imp.error ? ` ERROR ${imp.error}` : ''}`);
    }
    await context.close();
    writeFileSync(join(TEMPLATE, MARK), BUILD);
  }
  if (builtBy(TEMPLATE) !== BUILD) {
    template = `${TEMPLATE}@${BUILD.replace(/_bg\.wasm$/, '')}`;
    if (builtBy(template) !== BUILD) {
      rmSync(template, { recursive: true, force: true });
      cpSync(TEMPLATE, template, { recursive: true });
      rmSync(join(template, 'Default', 'Service Worker'), { recursive: true, force: true });
      const { context, page } = await launch(template);
      await page.goto(`${BASE}#/clients`);
      await page.evaluate(() => navigator.serviceWorker?.ready);
      await page.locator('[role="table"][aria-label="Accounts"] .vbody [role="row"]').first().waitFor({ timeout: TIMEOUT });
      await context.close();
      writeFileSync(join(template, MARK), BUILD);
      console.log(`${template}: the template's data, with this build's service worker`);
    }
  }
  for (let rep = 0; rep < REPS; rep++) {
    const dir = mkdtempSync(join(tmpdir(), 'cold-'));
    cpSync(template, dir, { recursive: true });
    const { context, page } = await launch(dir);
    try {
      await context.addInitScript(inpage.coldStartWatcher, probe);
      const cdp = await context.newCDPSession(page);
      if (PROFILE && rep === REPS - 1) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
        await cdp.send('Profiler.start');
      }
      await page.goto(`${BASE}#/clients`);
      const r = await page.evaluate(inpage.coldStartResult, TIMEOUT);
      if (PROFILE && rep === REPS - 1) {
        const { profile } = await cdp.send('Profiler.stop');
        writeFileSync(PROFILE, JSON.stringify(profile));
        const names = wasmNames(DIST);
        for (const { name, ms } of topSelfTime(profile, 40, names)) console.log(`  ${ms.toFixed(0).padStart(6)} ms  ${name}`);
      }
      await cdp.send('HeapProfiler.collectGarbage');
      const heap = await cdp.send('Runtime.getHeapUsage');
      const wasm = await page.evaluate(inpage.wasmMemoryBytes);
      const f = (x) => (x == null ? '-' : Math.round(x));
      console.log(`rep ${rep} (load ${loadavg()[0].toFixed(1)}): started ${f(r.appStarted)} rows-dom ${f(r.rowsInDom)} rows-painted ${f(r.rowsPainted)} results-painted ${f(r.resultsPainted)}${r.timeout ? ' TIMEOUT' : ''}  memory ${((heap.usedSize + (wasm ?? 0)) / 1e6).toFixed(1)} MB`);
      if (SEARCH) {
        const profiling = PROFILE_SEARCH && rep === REPS - 1;
        if (profiling) {
          await cdp.send('Profiler.enable');
          await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
          await cdp.send('Profiler.start');
        }
        const sess = await searchSession(page, pickQueries(bundle), { timeoutMs: TIMEOUT });
        if (profiling) {
          const { profile } = await cdp.send('Profiler.stop');
          writeFileSync(PROFILE_SEARCH, JSON.stringify(profile));
          const names = wasmNames(DIST);
          for (const { name, ms } of topSelfTime(profile, 40, names)) console.log(`  ${ms.toFixed(0).padStart(6)} ms  ${name}`);
        }
        console.log(`  search: ${sess.keys} keys, painted p50 / p95 ${sess.p50.toFixed(1)} / ${sess.p95.toFixed(1)} ms, computed ${sess.domP50.toFixed(1)} / ${sess.domP95.toFixed(1)} ms`);
        for (const line of byPosition(sess.samples)) console.log(`    ${line}`);
        if (SAMPLES) writeFileSync(SAMPLES, JSON.stringify(sess.samples));
      }
    } finally {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
} finally {
  server.close();
}
