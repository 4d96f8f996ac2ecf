#!/usr/bin/env node
// Scratch: two builds' list scroll on the same seeded profile (made by
// perf.mjs), alternately, so both see the same machine load. Per build and
// round: frame intervals while scrolling one viewport per frame, and the
// renderer's own CPU time per frame (CDP Performance.getMetrics: script,
// style, layout), which the shared CPU inflates less than wall time.
//
//   node bench/scratch/scroll-compare.mjs --a dist-before --b dist --template /tmp/…/n10000 [--port 8117] [--rounds 3] [--frames 400]
import { createRequire } from 'node:module';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(join(ROOT, 'tests/e2e/package.json'));
const { chromium } = require('@playwright/test');
const { serveStatic } = await import(join(ROOT, 'tests/e2e/serve.mjs'));
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : dflt; };
const PORT = Number(opt('port', 8117));
const ROUNDS = Number(opt('rounds', 3));
const FRAMES = Number(opt('frames', 400));
const builds = { a: resolve(opt('a')), b: resolve(opt('b')) };
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
const pct = (xs, p) => { const v = [...xs].sort((x, y) => x - y); return v[Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1))]; };

async function scroll(frames) {
  const sc = document.querySelector('[role="table"][aria-label="Accounts"] .vscroll');
  sc.scrollTop = 0;
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const deltas = [];
  await new Promise((res) => {
    let last;
    const frame = (t) => {
      if (last !== undefined) deltas.push(t - last);
      last = t;
      if (deltas.length >= frames) return res();
      sc.scrollTop += sc.clientHeight;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  return deltas;
}

for (let round = 0; round < ROUNDS; round++) {
  for (const [name, dist] of Object.entries(builds)) {
    const server = await serveStatic(dist, PORT, '/');
    const work = mkdtempSync(join(tmpdir(), 'scroll-cmp-'));
    cpSync(opt('template'), work, { recursive: true });
    const ctx = await chromium.launchPersistentContext(work, { executablePath: '/usr/bin/chromium', headless: true, args: FLAGS, serviceWorkers: 'block' });
    try {
      const page = ctx.pages()[0] ?? (await ctx.newPage());
      await page.goto(`http://127.0.0.1:${PORT}/#/clients`);
      await page.locator('[role="table"][aria-label="Accounts"] .vbody [role="row"]').first().waitFor({ timeout: 300000 });
      await page.waitForTimeout(1500);
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Performance.enable');
      const m = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((x) => [x.name, x.value]));
      const before = await m();
      const load = loadavg()[0];
      const deltas = await page.evaluate(scroll, FRAMES);
      const after = await m();
      const per = (k) => ((after[k] - before[k]) * 1000 / deltas.length).toFixed(2);
      console.log(JSON.stringify({ round, build: name, load: load.toFixed(1), frames: deltas.length,
        p50: pct(deltas, 50).toFixed(1), p95: pct(deltas, 95).toFixed(1), missed: `${(100 * deltas.filter((d) => d > 17).length / deltas.length).toFixed(1)}%`,
        scriptMsPerFrame: per('ScriptDuration'), styleMsPerFrame: per('RecalcStyleDuration'), layoutMsPerFrame: per('LayoutDuration'), taskMsPerFrame: per('TaskDuration') }));
    } finally {
      await ctx.close();
      server.close();
      rmSync(work, { recursive: true, force: true });
    }
  }
}
