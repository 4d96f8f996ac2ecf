#!/usr/bin/env node
// `make bench` and `make bench-smoke`: measures the release build (dist/) in
// headless Chromium on generated data. docs/benchmarks.md defines every
// measure; README.md has the latest table.
//
//   node bench/run.mjs [--sizes 1000,10000,100000] [--reps N] [--smoke]
//                      [--out bench/results.json] [--port 8116]
//                      [--timeout-min 10] [--scroll-step PX] [--profile]
//
// It never fails because something is slow: a step that takes longer than
// the timeout is recorded as "did not finish". It fails (exit 1) only when
// the harness itself cannot observe something (a selector that no longer
// matches, a page error), which is what `make bench-smoke` (N = 200, inside
// `make test`) is there to catch.
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as inpage from './lib/inpage.js';
import { ensureBundle, importParts, pickQueries, probeQuery } from './lib/data.mjs';
import { printTable } from './lib/report.mjs';
import { byPosition, searchSession } from './lib/search.mjs';
import { pct } from './lib/stats.mjs';
import { topSelfTime } from './lib/profile.mjs';
import { wasmNames } from './wasm-size.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'tests/e2e/package.json'));
const { chromium } = require('@playwright/test');
const { serveStatic } = await import(join(ROOT, 'tests/e2e/serve.mjs'));

// Same browser and flags as tests/e2e/playwright.config.js.
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

function parseArgs(argv) {
  const o = {
    sizes: [1000, 10000, 100000],
    reps: null,
    smoke: false,
    out: null,
    port: Number(process.env.BENCH_PORT ?? 8116),
    timeoutMin: 10,
    scrollStep: 0,
    scrollRows: 10000,
    profile: false,
    queries: 50,
    seed: 5,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === '--sizes') o.sizes = next().split(',').map((s) => Number(s.replace(/[_k]/g, (m) => (m === 'k' ? '000' : ''))));
    else if (a === '--reps') o.reps = Number(next());
    else if (a === '--smoke') o.smoke = true;
    else if (a === '--out') o.out = next();
    else if (a === '--port') o.port = Number(next());
    else if (a === '--timeout-min') o.timeoutMin = Number(next());
    else if (a === '--scroll-step') o.scrollStep = Number(next());
    else if (a === '--profile') o.profile = true;
    else if (a === '--queries') o.queries = Number(next());
    else if (a === '--seed') o.seed = Number(next());
    else throw new Error(`unknown argument ${a} (see the top of bench/run.mjs)`);
  }
  if (process.env.BENCH_SIZES) o.sizes = process.env.BENCH_SIZES.split(',').map(Number);
  if (process.env.BENCH_REPS) o.reps = Number(process.env.BENCH_REPS);
  if (o.smoke) {
    o.sizes = [200];
    o.reps = 1;
  }
  o.out ??= join(ROOT, o.smoke ? 'bench/results-smoke.json' : 'bench/results.json');
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const TIMEOUT = opts.timeoutMin * 60_000;
const repsFor = (n) => opts.reps ?? (n >= 100000 ? 1 : 3);

const median = (xs) => {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
const round = (x, d = 1) => (x == null ? null : Math.round(x * 10 ** d) / 10 ** d);
const log = (...a) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...a);

/** Gzipped (-9) bytes of the wasm, JS and CSS of dist/, per file; and,
 * not in the total, the language files (i18n/*.txt: one is fetched when the
 * interface is in that language, all are cached by the service worker). */
function transferSizes(dist) {
  const sizes = (dir, names, prefix = '') =>
    names.sort().map((f) => {
      const raw = readFileSync(join(dir, f));
      return { file: prefix + f, bytes: raw.length, gzip: gzipSync(raw, { level: 9 }).length };
    });
  const list = sizes(dist, readdirSync(dist).filter((f) => /\.(wasm|js|css)$/.test(f)));
  const i18nDir = join(dist, 'i18n');
  const languages = existsSync(i18nDir) ? sizes(i18nDir, readdirSync(i18nDir).filter((f) => f.endsWith('.txt')), 'i18n/') : [];
  return {
    files: list,
    totalGzip: list.reduce((s, f) => s + f.gzip, 0),
    totalBytes: list.reduce((s, f) => s + f.bytes, 0),
    languageFiles: languages,
  };
}

function gitInfo() {
  const git = (...a) => {
    try {
      return execFileSync('git', a, { cwd: ROOT, encoding: 'utf8' }).trim();
    } catch {
      return null;
    }
  };
  // Tracked files that differ from HEAD (`status --porcelain` lines lose
  // their leading blank to trim(), which cut the first name short).
  const changed = (git('diff', '--name-only', 'HEAD') ?? '').split('\n').filter(Boolean);
  return { commit: git('rev-parse', 'HEAD'), dirty: changed.length > 0, changed };
}

async function launch(profileDir) {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    acceptDownloads: true,
    // The interface follows the browser's language; the harness reads it
    // in English whatever the machine's locale.
    locale: 'en-US',
  });
  await context.addInitScript(inpage.instrument);
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return { context, page, errors };
}

async function waitForApp(page, heading) {
  await page.getByRole('navigation', { name: 'Main' }).waitFor({ timeout: 60_000 });
  await page.getByText('Opening your data…').waitFor({ state: 'detached', timeout: TIMEOUT });
  if (heading) await page.getByRole('heading', { level: 1, name: heading }).waitFor({ timeout: 60_000 });
}

async function memory(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const wasm = await page.evaluate(inpage.wasmMemoryBytes);
  return { jsHeapUsed: heap.usedSize, jsHeapTotal: heap.totalSize, wasm, total: heap.usedSize + (wasm ?? 0) };
}

async function profiled(cdp, fn) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const value = await fn();
  const { profile } = await cdp.send('Profiler.stop');
  await cdp.send('Profiler.disable');
  return { value, profile };
}

/** One repetition at one size: a fresh profile, import, then a cold start and the rest. */
async function repetition(n, rep, { importFiles, queries, probe, base, baselineBase, profileThis }) {
  const out = { rep, loadBefore: loadavg()[0] };
  const profileDir = mkdtempSync(join(tmpdir(), `clientbook-bench-${n}-`));
  try {
    // 1. Import, through the app, then the raw IndexedDB baseline, same session.
    {
      const { context, page, errors } = await launch(profileDir);
      try {
        await page.goto(`${base}#/data`);
        await waitForApp(page, 'Import & export');
        // Let the service worker install, as after any first visit.
        await page.evaluate(() => navigator.serviceWorker?.ready);
        const parts = [];
        for (const file of importFiles) {
          await page.evaluate(inpage.armImport);
          await page.setInputFiles('#import-file', file);
          const imp = await page.evaluate(inpage.importResult, TIMEOUT);
          parts.push({
            ...imp,
            readCheckMs: imp.previewPainted - imp.selected,
            writeMs: imp.donePainted - imp.clicked,
            totalMs: imp.donePainted - imp.selected - (imp.clicked - imp.previewPainted),
          });
          if (importFiles.length > 1) log(`   part ${parts.length} of ${importFiles.length}: ${imp.error ? `refused: ${imp.error}` : imp.timeout ? 'did not finish' : `${round(parts[parts.length - 1].totalMs, 0)} ms`}`);
          if (imp.timeout || imp.error) break;
        }
        const sum = (k) => (parts.every((p) => Number.isFinite(p[k])) ? parts.reduce((s, p) => s + p[k], 0) : null);
        out.import = {
          files: importFiles.length,
          parts,
          error: parts.find((p) => p.error)?.error,
          timeout: parts.some((p) => p.timeout),
          readCheckMs: sum('readCheckMs'),
          writeMs: sum('writeMs'),
          totalMs: sum('totalMs'),
        };
        if (out.import.timeout || out.import.error) {
          out.import.totalMs = null;
          log(`  import: ${out.import.error ? `refused: ${out.import.error}` : 'did not finish'}`);
        } else {
          log(`  import (app${importFiles.length > 1 ? `, ${importFiles.length} files` : ''}): ${round(out.import.totalMs, 0)} ms (read+check+preview ${round(out.import.readCheckMs, 0)}, write ${round(out.import.writeMs, 0)})`);
        }
        const schema = await page.evaluate(inpage.appSchema);
        out.stored = schema.counts;
        // The baseline writes from a page of another origin (another port):
        // an origin's databases share one LevelDB, so in the app's origin the
        // baseline's 570,000 records, its undo log and its deletion would be
        // part of what the cold start below opens and cleans up (measured:
        // docs/benchmarks.md, "1. Import").
        const bpage = await context.newPage();
        try {
          await bpage.goto(baselineBase);
          await bpage.evaluate(() => {
            const i = document.createElement('input');
            i.type = 'file';
            i.id = 'bench-baseline-file';
            i.hidden = true;
            i.multiple = true;
            document.body.append(i);
          });
          await bpage.setInputFiles('#bench-baseline-file', importFiles);
          out.baseline = await bpage.evaluate(inpage.rawBaseline, { inputId: 'bench-baseline-file', schema, timeoutMs: TIMEOUT });
        } finally {
          await bpage.close();
        }
        log(`  import (raw IndexedDB baseline): ${round(out.baseline.totalMs, 0)} ms (read+parse ${round(out.baseline.readParseMs, 0)}, write ${round(out.baseline.writeMs, 0)})`);
        out.errorsImport = errors.slice();
      } finally {
        await context.close();
      }
    }
    if (!out.stored || !out.stored.contacts) {
      out.skipped = 'nothing stored: the import did not finish';
      return out;
    }
    // 2-6. Cold start with N stored, then memory, search, scroll, export.
    const { context, page, errors } = await launch(profileDir);
    try {
      await context.addInitScript(inpage.coldStartWatcher, probe);
      const cdp = await context.newCDPSession(page);
      const cold = profileThis
        ? await profiled(cdp, async () => {
            await page.goto(`${base}#/clients`);
            return page.evaluate(inpage.coldStartResult, TIMEOUT);
          })
        : { value: await (async () => {
            await page.goto(`${base}#/clients`);
            return page.evaluate(inpage.coldStartResult, TIMEOUT);
          })() };
      out.cold = cold.value;
      if (cold.profile) out.profileCold = cold.profile;
      log(`  cold start: rows painted ${round(out.cold.rowsPainted, 0)} ms, search usable ${round(out.cold.resultsPainted, 0)} ms${out.cold.timeout ? ' (did not finish)' : ''}`);
      if (out.cold.timeout) return out;
      out.memoryCold = await memory(page, cdp);
      log(`  memory after cold start: ${round(out.memoryCold.total / 1e6)} MB (JS heap ${round(out.memoryCold.jsHeapUsed / 1e6)}, wasm ${round(out.memoryCold.wasm / 1e6)})`);

      const search = profileThis
        ? await profiled(cdp, () => searchSession(page, queries, { timeoutMs: TIMEOUT }))
        : { value: await searchSession(page, queries, { timeoutMs: TIMEOUT }) };
      out.search = search.value;
      if (search.profile) out.profileSearch = search.profile;
      log(`  search: ${out.search.keys} keys, p50 ${round(out.search.p50)} ms, p95 ${round(out.search.p95)} ms, max ${round(out.search.max)} ms (results computed: p50 ${round(out.search.domP50)}, p95 ${round(out.search.domP95)})`);
      for (const line of byPosition(out.search.samples)) log(`    ${line}`);
      out.memorySearch = await memory(page, cdp);
      log(`  memory after search: ${round(out.memorySearch.total / 1e6)} MB (JS heap ${round(out.memorySearch.jsHeapUsed / 1e6)}, wasm ${round(out.memorySearch.wasm / 1e6)})`);

      await page.locator('[role="table"][aria-label="Accounts"] .vbody [role="row"]').first().waitFor();
      const scroll = await page.evaluate(inpage.scrollList, { maxRows: opts.scrollRows, stepPx: opts.scrollStep, timeoutMs: TIMEOUT });
      out.scroll = {
        ...scroll,
        frames: scroll.deltas.length,
        p50: pct(scroll.deltas, 50),
        p95: pct(scroll.deltas, 95),
        max: scroll.deltas.length ? Math.max(...scroll.deltas) : null,
        idleFrame: median(scroll.idle),
        overBudget: scroll.deltas.filter((d) => d > 17).length,
      };
      delete out.scroll.idle;
      log(`  scroll ${scroll.rows} of ${scroll.listRows} rows in ${out.scroll.frames} frames: p95 ${round(out.scroll.p95)} ms (idle frame ${round(out.scroll.idleFrame)} ms), max ${scroll.maxRowElements} row elements`);

      await page.evaluate(() => (location.hash = '#/data'));
      await waitForApp(page, 'Import & export');
      const [download, exp] = await Promise.all([
        page.waitForEvent('download', { timeout: TIMEOUT }).catch(() => null),
        page.evaluate(inpage.exportAll, TIMEOUT),
      ]);
      out.export = exp;
      if (download && !exp.timeout) {
        const path = await download.path();
        const exported = JSON.parse(readFileSync(path, 'utf8'));
        out.export.contacts = exported.contacts.length;
        out.export.accounts = exported.accounts.length;
      }
      log(`  export: ${exp.timeout ? 'did not finish' : `${round(exp.ms, 0)} ms, ${round(exp.bytes / 1e6)} MB`}`);
      out.errors = errors.slice();
    } finally {
      await context.close();
    }
    // 2 again: the next start, the browser closed and started once more
    // after a session of work (as the next day). The first start above also
    // pays for what the browser left undone after the import (LevelDB's
    // compaction of the new data, the clean-up of the import transaction's
    // undo log: docs/benchmarks.md).
    {
      const { context, page, errors } = await launch(profileDir);
      try {
        await context.addInitScript(inpage.coldStartWatcher, probe);
        await page.goto(`${base}#/clients`);
        out.coldAgain = await page.evaluate(inpage.coldStartResult, TIMEOUT);
        log(`  next start: rows painted ${round(out.coldAgain.rowsPainted, 0)} ms, search usable ${round(out.coldAgain.resultsPainted, 0)} ms${out.coldAgain.timeout ? ' (did not finish)' : ''}`);
        // The same search session again: the first one ran while the
        // browser was still busy with the import (see above).
        if (!out.coldAgain.timeout) {
          out.searchAgain = await searchSession(page, queries, { timeoutMs: TIMEOUT });
          log(`  next start's search: p50 ${round(out.searchAgain.p50)} ms, p95 ${round(out.searchAgain.p95)} ms, max ${round(out.searchAgain.max)} ms (results computed: p50 ${round(out.searchAgain.domP50)}, p95 ${round(out.searchAgain.domP95)})`);
          for (const line of byPosition(out.searchAgain.samples)) log(`    ${line}`);
        }
        out.errors.push(...errors);
      } finally {
        await context.close();
      }
    }
    out.loadAfter = loadavg()[0];
    return out;
  } finally {
    rmSync(profileDir, { recursive: true, force: true });
  }
}

/** The medians over repetitions, per measure. */
function summarise(n, reps, counts) {
  const m = (f) => median(reps.map((r) => {
    try {
      return f(r);
    } catch {
      return null;
    }
  }));
  const app = m((r) => r.import?.totalMs);
  const raw = m((r) => r.baseline?.totalMs);
  const dnf = (f) => reps.some((r) => f(r));
  return {
    contacts: counts.contacts,
    accounts: counts.accounts,
    links: counts.links,
    reps: reps.length,
    importFiles: reps[0]?.import?.files ?? null,
    importAppMs: app,
    importRefused: reps.find((r) => r.import?.error)?.import.error ?? null,
    importDnf: dnf((r) => r.import?.timeout),
    importReadCheckMs: m((r) => r.import?.readCheckMs),
    importWriteMs: m((r) => r.import?.writeMs),
    importBaselineMs: raw,
    importBaselineWriteMs: m((r) => r.baseline?.writeMs),
    importRatio: app != null && raw ? app / raw : null,
    importWriteRatio: m((r) => r.import?.writeMs / r.baseline?.writeMs),
    coldFirstRowsMs: m((r) => r.cold?.rowsPainted),
    coldUsableMs: m((r) => (r.cold?.timeout ? null : r.cold?.resultsPainted)),
    coldDnf: dnf((r) => r.cold?.timeout),
    coldAgainFirstRowsMs: m((r) => r.coldAgain?.rowsPainted),
    coldAgainUsableMs: m((r) => (r.coldAgain?.timeout ? null : r.coldAgain?.resultsPainted)),
    coldAgainDnf: dnf((r) => r.coldAgain?.timeout),
    searchP50: m((r) => r.search?.p50),
    searchP95: m((r) => r.search?.p95),
    searchKeys: m((r) => r.search?.keys),
    searchDomP50: m((r) => r.search?.domP50),
    searchDomP95: m((r) => r.search?.domP95),
    searchDnf: dnf((r) => r.search?.timeouts > 0),
    searchAgainP50: m((r) => r.searchAgain?.p50),
    searchAgainP95: m((r) => r.searchAgain?.p95),
    searchAgainDnf: dnf((r) => r.searchAgain?.timeouts > 0),
    scrollRows: m((r) => r.scroll?.rows),
    scrollListRows: m((r) => r.scroll?.listRows),
    scrollP95: m((r) => r.scroll?.p95),
    scrollIdleFrame: m((r) => r.scroll?.idleFrame),
    scrollMaxRowElements: m((r) => r.scroll?.maxRowElements),
    scrollDnf: dnf((r) => r.scroll?.timeout),
    exportMs: m((r) => (r.export?.timeout ? null : r.export?.ms)),
    exportBytes: m((r) => r.export?.bytes),
    exportDnf: dnf((r) => r.export?.timeout),
    memoryColdBytes: m((r) => r.memoryCold?.total),
    memoryColdJs: m((r) => r.memoryCold?.jsHeapUsed),
    memoryColdWasm: m((r) => r.memoryCold?.wasm),
    memorySearchBytes: m((r) => r.memorySearch?.total),
    memorySearchJs: m((r) => r.memorySearch?.jsHeapUsed),
    memorySearchWasm: m((r) => r.memorySearch?.wasm),
  };
}

/** What the smoke run checks: every measure observed, data where it should be. */
function problems(n, s, reps, counts) {
  const p = [];
  for (const r of reps) {
    if (r.import?.error) p.push(`import refused: ${r.import.error}`);
    if (r.stored && r.stored.contacts !== counts.contacts) p.push(`stored ${r.stored.contacts} contacts, expected ${counts.contacts}`);
    if (r.stored && r.stored.accounts !== counts.accounts) p.push(`stored ${r.stored.accounts} accounts, expected ${counts.accounts}`);
    if (r.cold && !r.cold.focused) p.push('cold start: the search box did not take focus');
    if (r.coldAgain && !r.coldAgain.focused) p.push('next start: the search box did not take focus');
    if (r.search?.queriesWithoutResults?.length) p.push(`queries without results: ${r.search.queriesWithoutResults.join(', ')}`);
    if (r.searchAgain?.queriesWithoutResults?.length) p.push(`next start: queries without results: ${r.searchAgain.queriesWithoutResults.join(', ')}`);
    if (r.scroll && r.scroll.lastRowShown < r.scroll.rows) p.push(`scroll ended at row ${r.scroll.lastRowShown} of ${r.scroll.rows}`);
    if (r.export?.contacts !== undefined && r.export.contacts !== counts.contacts) p.push(`export has ${r.export.contacts} contacts`);
    for (const e of [...(r.errorsImport ?? []), ...(r.errors ?? [])]) p.push(e);
    if (r.harnessError) p.push(`harness error: ${r.harnessError.split('\n')[0]}`);
    if (r.skipped) p.push(r.skipped);
  }
  for (const [k, v] of Object.entries(s)) if (v === null && !['importRefused', 'importRatio', 'importWriteRatio'].includes(k)) p.push(`${k} was not measured`);
  return p;
}

/** Function index → name for the release wasm, from a named copy of the same build (null if they differ). */
let namesCache;
function wasmNamesOnce(dist) {
  if (namesCache === undefined) namesCache = wasmNames(dist, log);
  return namesCache;
}

async function main() {
  const dist = resolve(process.env.BENCH_DIST ?? join(ROOT, 'dist'));
  if (!existsSync(join(dist, 'index.html'))) throw new Error('no release build in dist/: run `make build` first');
  const git = gitInfo();
  const transfer = transferSizes(dist);
  const server = await serveStatic(dist, opts.port, '/');
  const base = `http://127.0.0.1:${opts.port}/`;
  // An empty page on the next port, the raw baseline's own origin.
  const blank = mkdtempSync(join(tmpdir(), 'clientbook-bench-blank-'));
  writeFileSync(join(blank, 'index.html'), '<!doctype html><title>baseline</title>\n');
  const baselineServer = await serveStatic(blank, opts.port + 1, '/');
  const baselineBase = `http://127.0.0.1:${opts.port + 1}/`;
  // The browser's version, from a throwaway profile.
  let browserVersion = null;
  {
    const dir = mkdtempSync(join(tmpdir(), 'clientbook-bench-v-'));
    const { context, page } = await launch(dir);
    const cdp = await context.newCDPSession(page);
    const v = await cdp.send('Browser.getVersion');
    browserVersion = `${v.product} (${v.userAgent.match(/\(([^)]*)\)/)?.[1] ?? ''})`;
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const results = {
    date: new Date().toISOString(),
    commit: git.commit,
    dirty: git.dirty,
    uncommitted: git.changed,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null, memoryBytes: totalmem(), platform: `${process.platform} ${process.arch}`, loadAverageAtStart: loadavg() },
    browser: browserVersion,
    node: process.version,
    settings: { ...opts, reps: Object.fromEntries(opts.sizes.map((n) => [n, repsFor(n)])), timeoutMs: TIMEOUT },
    transfer,
    sizes: {},
  };
  log(`Clientbook bench: ${results.commit?.slice(0, 10)}${git.dirty ? ' (uncommitted changes)' : ''}, ${results.machine.cpus} CPUs, ${browserVersion}`);
  log(`transfer (gzip -9): ${transfer.files.map((f) => `${f.file} ${round(f.gzip / 1000)} KB`).join(', ')}; total ${round(transfer.totalGzip / 1000)} KB`);
  log(`language files, fetched on demand (gzip -9): ${transfer.languageFiles.map((f) => `${f.file} ${round(f.gzip / 1000)} KB`).join(', ')}`);
  let failed = [];
  try {
    for (const n of opts.sizes) {
      const bundlePath = await ensureBundle(ROOT, n, opts.seed, { release: !opts.smoke && process.env.BENCH_DATA_RELEASE !== '0' });
      let bundle = JSON.parse(readFileSync(bundlePath, 'utf8'));
      const queries = pickQueries(bundle, opts.queries);
      const probe = probeQuery(bundle);
      const importFiles = importParts(bundlePath, bundle);
      const counts = Object.fromEntries(['accounts', 'contacts', 'links', 'notes', 'history'].map((k) => [k, bundle[k].length]));
      bundle = null;
      const bytes = statSync(bundlePath).size;
      log(`N = ${n}: ${counts.accounts} accounts, ${counts.contacts} contacts, ${counts.links} links, ${counts.notes} notes, ${counts.history} history entries; bundle ${round(bytes / 1048576)} MiB; ${repsFor(n)} repetition(s)`);
      const reps = [];
      for (let rep = 1; rep <= repsFor(n); rep++) {
        log(` repetition ${rep}`);
        const profileThis = opts.profile && rep === repsFor(n) && n === Math.max(...opts.sizes);
        let r;
        try {
          r = await repetition(n, rep, { importFiles, queries, probe, base, baselineBase, profileThis });
        } catch (e) {
          // Recorded, never hidden: the smoke run fails on it, a full run goes on.
          log(`  the harness failed: ${e.message.split('\n')[0]}`);
          r = { rep, harnessError: e.message.slice(0, 2000) };
        }
        if (r.profileCold || r.profileSearch) {
          const dir = join(ROOT, 'bench/profiles');
          mkdirSync(dir, { recursive: true });
          results.profiles ??= {};
          for (const [key, prof] of [['coldStart', r.profileCold], ['search', r.profileSearch]]) {
            if (!prof) continue;
            const file = join(dir, `n${n}-${key}.cpuprofile`);
            writeFileSync(file, JSON.stringify(prof));
            results.profiles[key] = { n, file: `bench/profiles/n${n}-${key}.cpuprofile`, top: topSelfTime(prof, 10, wasmNamesOnce(dist)) };
          }
          delete r.profileCold;
          delete r.profileSearch;
        }
        reps.push(r);
      }
      const summary = summarise(n, reps, counts);
      results.sizes[n] = { bundleBytes: bytes, importFiles: importFiles.map((f) => ({ file: f.slice(ROOT.length + 1), bytes: statSync(f).size })), probe, queries, summary, reps };
      const p = problems(n, summary, reps, counts);
      if (p.length) {
        results.sizes[n].problems = p;
        failed.push(...p.map((x) => `N = ${n}: ${x}`));
      }
    }
  } finally {
    server.close();
    baselineServer.close();
    rmSync(blank, { recursive: true, force: true });
  }
  results.machine.loadAverageAtEnd = loadavg();
  writeFileSync(opts.out, `${JSON.stringify(results, null, 1)}\n`);
  console.log('');
  printTable(results);
  console.log(`\nwritten: ${opts.out}`);
  if (results.profiles) {
    for (const [k, v] of Object.entries(results.profiles)) {
      console.log(`\nTop self time, ${k} (${v.file}):`);
      for (const t of v.top) console.log(`  ${t.ms.toFixed(1).padStart(9)} ms  ${t.name}`);
    }
  }
  if (failed.length) {
    console.log(`\nThe harness could not observe everything:\n  ${failed.join('\n  ')}`);
    // Only the smoke run fails on these; a full run records them.
    if (opts.smoke) process.exitCode = 1;
  }
}

await main();
