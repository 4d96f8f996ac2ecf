#!/usr/bin/env node
// Where the wasm's bytes go, by crate and by function, in the spirit of
// `twiggy top`, without any download. The release wasm in dist/ has no
// names, so this rebuilds a named copy from the same compiler output:
//   target/wasm32-unknown-unknown/release/clientbook.wasm (from `make build`)
//   → wasm-bindgen --keep-debug → wasm-opt -Oz -g (names kept, same passes)
// and reads the code section's body sizes and the name section.
//
//   node bench/wasm-size.mjs [--top 30] [--raw] [--keep FILE]
//   (--raw: the compiler's output as is, before wasm-bindgen and wasm-opt;
//    --keep: save the named copy, e.g. to name wasm frames in CPU profiles)
//   node bench/wasm-size.mjs --dist [DIR]
//   (only the transfer size: gzip -9 of the wasm, JS and CSS in dist/, as
//    the benchmark counts it; nothing is rebuilt)
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function leb(buf, pos) {
  let n = 0;
  let shift = 0;
  for (;;) {
    const b = buf[pos++];
    n += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [n, pos];
  }
}

function name(buf, pos) {
  const [len, p] = leb(buf, pos);
  return [buf.toString('utf8', p, p + len), p + len];
}

/** Sections, function body sizes, names. */
export function analyse(buf) {
  const sections = [];
  let importedFns = 0;
  const bodies = [];
  const names = new Map();
  let pos = 8;
  while (pos < buf.length) {
    const id = buf[pos];
    const [size, start] = leb(buf, pos + 1);
    const end = start + size;
    let label = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount'][id] ?? `#${id}`;
    if (id === 0) {
      const [n] = name(buf, start);
      label = `custom "${n}"`;
      if (n === 'name') {
        let p = start;
        [, p] = name(buf, p);
        while (p < end) {
          const sub = buf[p];
          const [subSize, q] = leb(buf, p + 1);
          if (sub === 1) {
            let [count, r] = leb(buf, q);
            for (let i = 0; i < count; i++) {
              let idx;
              let fn;
              [idx, r] = leb(buf, r);
              [fn, r] = name(buf, r);
              names.set(idx, fn);
            }
          }
          p = q + subSize;
        }
      }
    } else if (id === 2) {
      let [count, p] = leb(buf, start);
      for (let i = 0; i < count; i++) {
        [, p] = name(buf, p);
        [, p] = name(buf, p);
        const kind = buf[p++];
        if (kind === 0) {
          [, p] = leb(buf, p);
          importedFns++;
        } else if (kind === 1) {
          p += 1;
          const flags = buf[p++];
          [, p] = leb(buf, p);
          if (flags & 1) [, p] = leb(buf, p);
        } else if (kind === 2) {
          const flags = buf[p++];
          [, p] = leb(buf, p);
          if (flags & 1) [, p] = leb(buf, p);
        } else if (kind === 3) {
          p += 2;
        } else if (kind === 4) {
          p += 1;
          [, p] = leb(buf, p);
        }
      }
    } else if (id === 10) {
      let [count, p] = leb(buf, start);
      for (let i = 0; i < count; i++) {
        const [bodySize, q] = leb(buf, p);
        bodies.push({ index: importedFns + i, bytes: bodySize + (q - p) });
        p = q + bodySize;
      }
    }
    sections.push({ label, bytes: end - pos });
    pos = end;
  }
  return { sections, bodies: bodies.map((b) => ({ ...b, name: names.get(b.index) ?? `func[${b.index}]` })) };
}

/** Legacy Rust mangling `_ZN3foo3bar17h0123456789abcdefE` → `foo::bar`. */
export function demangle(s) {
  const m = /^_?_ZN(.*)E$/.exec(s);
  if (!m) return s;
  const parts = [];
  let rest = m[1];
  while (rest.length) {
    const d = /^(\d+)/.exec(rest);
    if (!d) break;
    const len = Number(d[1]);
    parts.push(rest.slice(d[1].length, d[1].length + len));
    rest = rest.slice(d[1].length + len);
  }
  if (parts.length && /^h[0-9a-f]{16}$/.test(parts[parts.length - 1])) parts.pop();
  return parts
    .join('::')
    .replace(/\$LT\$/g, '<')
    .replace(/\$GT\$/g, '>')
    .replace(/\$u20\$/g, ' ')
    .replace(/\$u7b\$/g, '{')
    .replace(/\$u7d\$/g, '}')
    .replace(/\$RF\$/g, '&')
    .replace(/\$BP\$/g, '*')
    .replace(/\$C\$/g, ',')
    .replace(/\.\./g, '::');
}

/** A name without hashes: `::h0123…` suffixes and `[0123abcd]` crate disambiguators. */
export function clean(fn) {
  return demangle(fn).replace(/::h[0-9a-f]{16}$/, '').replace(/\[[0-9a-f]{8,16}\]/g, '');
}

/** The crate a function most belongs to: the first `crate::` path in its name. */
export function crateOf(fn) {
  const d = clean(fn);
  if (fn.startsWith('__wbg') || fn.startsWith('__wbindgen') || d.startsWith('wasm_bindgen')) return 'wasm_bindgen (+ glue)';
  const m = /([A-Za-z_][A-Za-z0-9_]*)::/.exec(d);
  if (m) return m[1];
  return `(no path: ${d.slice(0, 30)}…)`;
}

/** A copy of the release wasm with its function names (or the raw compiler output). */
export function namedBuild({ raw = false } = {}) {
  const input = join(ROOT, 'target/wasm32-unknown-unknown/release/clientbook.wasm');
  statSync(input);
  if (raw) return { file: input, cleanup: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'clientbook-wasm-size-'));
  const path = { ...process.env, PATH: `${process.env.HOME}/.cargo/bin:${ROOT}/tools/node_modules/.bin:${process.env.PATH}` };
  execFileSync('wasm-bindgen', ['--target', 'web', '--keep-debug', '--out-dir', dir, '--out-name', 'named', input], { env: path, stdio: 'inherit' });
  execFileSync('wasm-opt', ['-Oz', '-g', '--enable-reference-types', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals', join(dir, 'named_bg.wasm'), '-o', join(dir, 'named-opt.wasm')], { env: path, stdio: 'inherit' });
  return { file: join(dir, 'named-opt.wasm'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Function index -> name for the wasm in `dist`, from a named copy of the
 * same build (`namedBuild`), for naming the frames of a CPU profile; null
 * (and a line to `log`) when there is no named copy or it differs.
 */
export function wasmNames(dist, log = console.log) {
  try {
    const wasm = readdirSync(dist).find((f) => f.endsWith('.wasm'));
    const shipped = analyse(readFileSync(join(dist, wasm))).bodies;
    const { file, cleanup } = namedBuild();
    try {
      const named = analyse(readFileSync(file)).bodies;
      if (named.length === shipped.length && named.every((b, i) => b.bytes === shipped[i].bytes)) {
        return new Map(named.map((b) => [b.index, clean(b.name)]));
      }
      log('the named copy of the wasm differs from dist/: profile frames stay unnamed');
    } finally {
      cleanup();
    }
  } catch (e) {
    log(`no names for wasm frames: ${e.message}`);
  }
  return null;
}

/** Gzip -9 bytes of the wasm, JS and CSS files of a build directory, by kind. */
export function transfer(dir) {
  const out = { wasm: 0, js: 0, css: 0 };
  for (const f of readdirSync(dir)) {
    const kind = /\.(wasm|js|css)$/.exec(f)?.[1];
    if (kind) out[kind] += gzipSync(readFileSync(join(dir, f)), { level: 9 }).length;
  }
  return { ...out, total: out.wasm + out.js + out.css };
}

function main() {
  const args = process.argv.slice(2);
  if (args.includes('--dist')) {
    const next = args[args.indexOf('--dist') + 1];
    const dir = next && !next.startsWith('--') ? resolve(next) : join(ROOT, 'dist');
    const t = transfer(dir);
    console.log(`${dir}: gzip -9 wasm ${t.wasm}, JS ${t.js}, CSS ${t.css}, total ${t.total} bytes`);
    return;
  }
  const top = Number(args[args.indexOf('--top') + 1]) || 30;
  const raw = args.includes('--raw');
  const keep = args.includes('--keep') ? args[args.indexOf('--keep') + 1] : null;
  const { file, cleanup } = namedBuild({ raw });
  try {
    const buf = readFileSync(file);
    const { sections, bodies } = analyse(buf);
    const code = bodies.reduce((s, b) => s + b.bytes, 0);
    const kb = (n) => (n / 1000).toFixed(1).padStart(8);
    const pctOf = (n, t) => `${((100 * n) / t).toFixed(1).padStart(5)} %`;
    console.log(`${raw ? 'compiler output' : 'named copy of the release wasm'}: ${file}`);
    console.log(`${(buf.length / 1000).toFixed(1)} KB (gzip -9 of the file without its name section is what dist/ sends)\n`);
    console.log('Sections (KB):');
    for (const s of sections.sort((a, b) => b.bytes - a.bytes)) console.log(`${kb(s.bytes)}  ${s.label}`);
    const byCrate = new Map();
    for (const b of bodies) {
      const c = crateOf(b.name);
      const e = byCrate.get(c) ?? { bytes: 0, fns: 0 };
      e.bytes += b.bytes;
      e.fns += 1;
      byCrate.set(c, e);
    }
    console.log(`\nCode by crate (KB, share of ${(code / 1000).toFixed(1)} KB of function bodies):`);
    for (const [c, e] of [...byCrate.entries()].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, top)) {
      console.log(`${kb(e.bytes)}  ${pctOf(e.bytes, code)}  ${String(e.fns).padStart(5)} fns  ${c}`);
    }
    console.log(`\nLargest functions (KB):`);
    for (const b of [...bodies].sort((a, b) => b.bytes - a.bytes).slice(0, top)) {
      console.log(`${kb(b.bytes)}  ${pctOf(b.bytes, code)}  ${clean(b.name).slice(0, 150)}`);
    }
    // Generic instantiations: many copies of the same function.
    const generic = new Map();
    for (const b of bodies) {
      let base = clean(b.name);
      for (let i = 0; i < 4; i++) base = base.replace(/<[^<>]*>/g, '‹›');
      const e = generic.get(base) ?? { bytes: 0, copies: 0 };
      e.bytes += b.bytes;
      e.copies += 1;
      generic.set(base, e);
    }
    console.log(`\nMost copied (monomorphised) functions (KB, copies):`);
    for (const [n, e] of [...generic.entries()].filter(([, e]) => e.copies > 1).sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 15)) {
      console.log(`${kb(e.bytes)}  ${String(e.copies).padStart(5)}×  ${n.slice(0, 140)}`);
    }
    const gz = gzipSync(buf, { level: 9 }).length;
    console.log(`\ngzip -9 of this copy (names included): ${(gz / 1000).toFixed(1)} KB`);
    if (keep) copyFileSync(file, keep);
  } finally {
    cleanup();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
