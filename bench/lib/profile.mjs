// Self time per function from a CDP CPU profile (Profiler.stop), summed over
// every node of the same function; `(idle)` is left out. The release wasm
// has no names: `names` (function index → name, from the named copy that
// bench/wasm-size.mjs makes) names its frames.

/** The wasm function index in a frame name V8 gives a nameless function. */
function wasmIndex(functionName) {
  const m = /^(?:\$func|wasm-function\[)(\d+)\]?$/.exec(functionName);
  return m ? Number(m[1]) : null;
}

export function topSelfTime(profile, count = 10, names = null) {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const { samples = [], timeDeltas = [] } = profile;
  for (let i = 0; i < samples.length; i++) {
    // A sample's time is the gap to the next one.
    const dt = (timeDeltas[i + 1] ?? 0) / 1000;
    const node = byNode.get(samples[i]);
    if (!node) continue;
    const f = node.callFrame;
    if (f.functionName === '(idle)') continue;
    const file = f.url ? f.url.split('/').pop().replace(/-[0-9a-f]{16}/, '') : '';
    const idx = names ? wasmIndex(f.functionName) : null;
    const fn = idx != null && names.has(idx) ? `${names.get(idx)} [wasm]` : f.functionName || '(anonymous)';
    const name = `${fn}${file ? `  ${file}${f.lineNumber >= 0 ? `:${f.lineNumber + 1}` : ''}` : ''}`;
    self.set(name, (self.get(name) ?? 0) + dt);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, ms]) => ({ name, ms, share: total ? ms / total : 0 }));
}
