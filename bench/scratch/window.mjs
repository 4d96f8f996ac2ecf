// Scratch: self and inclusive time of a CPU profile between two moments
// (ms from the profile's start), wasm frames named from dist/.
//   node bench/scratch/window.mjs PROFILE FROM TO [dist]
import { readFileSync } from 'node:fs';
import { wasmNames } from '../wasm-size.mjs';
const [file, from, to, dist = 'dist'] = process.argv.slice(2);
const p = JSON.parse(readFileSync(file));
const names = wasmNames(dist) ?? new Map();
const nameOf = (cf) => {
  const m = /^wasm-function\[(\d+)\]$/.exec(cf.functionName);
  return m ? names.get(Number(m[1])) ?? cf.functionName : cf.functionName || '(anon)';
};
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children || []) parent.set(c, n.id);
let t = p.startTime;
const self = new Map();
const incl = new Map();
for (let i = 0; i < p.samples.length; i++) {
  t += p.timeDeltas[i];
  const ms = (t - p.startTime) / 1000;
  if (ms < Number(from) || ms >= Number(to)) continue;
  const d = p.timeDeltas[i] / 1000;
  const f0 = nameOf(byId.get(p.samples[i]).callFrame);
  self.set(f0, (self.get(f0) || 0) + d);
  const seen = new Set();
  for (let id = p.samples[i]; id !== undefined; id = parent.get(id)) {
    const f = nameOf(byId.get(id).callFrame);
    if (!seen.has(f)) {
      seen.add(f);
      incl.set(f, (incl.get(f) || 0) + d);
    }
  }
}
const top = (m, k) => [...m].sort((x, y) => y[1] - x[1]).slice(0, k);
console.log('SELF');
for (const [f, v] of top(self, 30)) console.log(v.toFixed(0).padStart(5), f.slice(0, 150));
console.log('INCLUSIVE');
for (const [f, v] of top(incl, 60)) console.log(v.toFixed(0).padStart(5), f.slice(0, 150));
