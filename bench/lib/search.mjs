// The search session of `make bench` (docs/benchmarks.md, measure 3), shared
// with bench/scratch/cold.mjs: every query typed key by key, one sample per key.
import * as inpage from './inpage.js';
import { pct } from './stats.mjs';

/** Types every query key by key; one sample per key. */
export async function searchSession(page, queries, { timeoutMs }) {
  const input = page.locator('#client-search');
  await input.focus();
  const keys = [];
  const perQuery = [];
  for (const { kind, q } of queries) {
    // Clear the box (Escape empties it) and wait until the app has taken it.
    await page.evaluate(inpage.armKey, '');
    await page.keyboard.press('Escape');
    await page.evaluate(inpage.keyResult, 5_000);
    let typed = '';
    let last = null;
    for (const ch of q) {
      typed += ch;
      await page.evaluate(inpage.armKey, typed);
      await page.keyboard.type(ch);
      last = await page.evaluate(inpage.keyResult, timeoutMs);
      if (last.timeout) {
        keys.push({ q: typed, timeout: true });
        break;
      }
      keys.push({ q: typed, kind, ms: last.painted - last.start, toMarkMs: last.marked - last.start });
    }
    perQuery.push({ kind, q, options: last?.options ?? 0, timeout: Boolean(last?.timeout) });
    if (last?.timeout) break;
  }
  await page.keyboard.press('Escape');
  const ms = keys.filter((k) => !k.timeout).map((k) => k.ms);
  const dom = keys.filter((k) => !k.timeout).map((k) => k.toMarkMs);
  return {
    queries: perQuery.length,
    keys: keys.length,
    timeouts: keys.filter((k) => k.timeout).length,
    queriesWithoutResults: perQuery.filter((p) => p.options === 0).map((p) => p.q),
    p50: pct(ms, 50),
    p95: pct(ms, 95),
    max: ms.length ? Math.max(...ms) : null,
    domP50: pct(dom, 50),
    domP95: pct(dom, 95),
    samples: keys,
    perQuery,
  };
}

/**
 * The session's keys by their place in the query (1st, 2nd, 3rd-4th, 5th
 * and later: the first keys scan every entry, later ones only narrow), each
 * with p50 / p95 of key -> painted and of key -> the app's mark (results
 * computed), and the slowest keys painted; one line each, for a log.
 */
export function byPosition(samples) {
  const ok = samples.filter((k) => !k.timeout);
  const part = (name, keep) => {
    const ks = ok.filter(keep);
    const f = (xs, p) => (pct(xs, p) ?? NaN).toFixed(1);
    const ms = ks.map((k) => k.ms);
    const mark = ks.map((k) => k.toMarkMs);
    return `${name} (${ks.length}): painted ${f(ms, 50)} / ${f(ms, 95)}, computed ${f(mark, 50)} / ${f(mark, 95)}`;
  };
  const at = (k) => k.q.length;
  const slowest = ok.slice().sort((a, b) => b.ms - a.ms).slice(0, 10);
  return [
    `${part('1st key', (k) => at(k) === 1)}; ${part('2nd', (k) => at(k) === 2)}`,
    `${part('3rd-4th', (k) => at(k) > 2 && at(k) < 5)}; ${part('5th+', (k) => at(k) >= 5)}`,
    `slowest painted (painted / computed ms): ${slowest.map((k) => `"${k.q}" ${k.ms.toFixed(1)} / ${k.toMarkMs.toFixed(1)}`).join(', ')}`,
  ];
}
