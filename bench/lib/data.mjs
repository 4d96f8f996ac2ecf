// The benchmark's data: bundle files made by the app's own seeded generator
// (`cargo run --example bench_data`, src/domain/demo.rs), cached under
// bench/data/, and the search queries taken from them.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Files whose change makes a cached bundle stale. */
function generatorInputs(root) {
  const files = [join(root, 'examples/bench_data.rs'), join(root, 'Cargo.lock')];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.rs')) files.push(p);
    }
  };
  walk(join(root, 'src/domain'));
  walk(join(root, 'src/bundle'));
  const h = createHash('sha256');
  for (const f of files.sort()) {
    h.update(relative(root, f));
    h.update(readFileSync(f));
  }
  return h.digest('hex').slice(0, 16);
}

function run(cmd, args, { cwd, stdoutFile }) {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(stdoutFile);
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.pipe(out);
    child.on('error', reject);
    child.on('close', (code) => {
      out.close(() => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))));
    });
  });
}

/**
 * The bundle of `contacts` contacts (seed `seed`), made if missing or
 * stale. `release`: build the generator with --release (the big sizes) or
 * not (N = 200 in `make test`, which has just built the debug examples).
 */
export async function ensureBundle(root, contacts, seed, { release }) {
  const dir = join(root, 'bench/data');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `n${contacts}-seed${seed}.json`);
  const stamp = `${file}.stamp`;
  const want = generatorInputs(root);
  if (existsSync(file) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === want) return file;
  const args = ['run', '--quiet', ...(release ? ['--release'] : []), '--example', 'bench_data', '--', String(contacts), String(seed)];
  console.log(`generating ${relative(root, file)}: cargo ${args.join(' ')}`);
  const tmp = `${file}.tmp`;
  const started = Date.now();
  await run('cargo', args, { cwd: root, stdoutFile: tmp });
  renameSync(tmp, file);
  writeFileSync(stamp, `${want}\n`);
  console.log(`  ${(statSync(file).size / 1048576).toFixed(1)} MiB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return file;
}

/** Lower case, accents removed, as the app's search folds text. */
export function fold(s) {
  return s
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/æ/g, 'ae')
    .replace(/œ/g, 'oe')
    .replace(/ø/g, 'o')
    .replace(/ł/g, 'l')
    .replace(/[đð]/g, 'd')
    .replace(/ı/g, 'i')
    .replace(/þ/g, 'th')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim();
}

/** A small seeded generator (mulberry32), so the queries are the same every run. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ascii = (s) => /^[\x20-\x7e]+$/.test(s);
const words = (s) => s.split(/[\s,.&()/-]+/).filter((w) => w.length >= 2);

/**
 * `count` search queries taken from the bundle, as a practitioner would type
 * them (lower case, no accents): name prefixes (of account names and of
 * contacts' first and last names), "first last" prefixes, fragments of
 * emails (start of the local part, a piece from its middle, the domain),
 * and the accent-less form of accented names. Every query is a fold of
 * text in the data, so each one matches something.
 */
export function pickQueries(bundle, count = 50, seed = 7) {
  const r = rng(seed);
  const pick = (list) => list[Math.floor(r() * list.length)];
  const between = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  const contacts = bundle.contacts;
  const accounts = bundle.accounts;
  const nameWords = [];
  const accented = [];
  for (const c of contacts.slice(0, 20000)) {
    for (const w of [...words(c.first_name), ...words(c.last_name)]) (ascii(w) ? nameWords : accented).push(w);
  }
  for (const a of accounts.slice(0, 10000)) {
    for (const w of words(a.name)) (ascii(w) ? nameWords : accented).push(w);
  }
  const emails = contacts.flatMap((c) => c.emails).slice(0, 30000);
  const makers = {
    prefix: () => {
      const w = fold(pick(nameWords));
      return w.slice(0, between(2, Math.min(6, w.length)));
    },
    firstLast: () => {
      const c = pick(contacts);
      const first = fold(c.first_name).split(/\s+/)[0];
      const last = fold(c.last_name).split(/\s+/)[0];
      if (!first || !last) return '';
      return `${first.slice(0, between(2, Math.min(5, first.length)))} ${last.slice(0, between(2, Math.min(5, last.length)))}`;
    },
    email: () => {
      const e = pick(emails).toLowerCase();
      const [local, domain] = e.split('@');
      const kind = r();
      if (kind < 0.5) return local.slice(0, between(3, Math.min(7, local.length)));
      if (kind < 0.75 && local.length > 5) {
        const from = between(1, local.length - 4);
        return local.slice(from, from + between(3, 5));
      }
      return `@${domain.slice(0, between(3, Math.min(8, domain.length)))}`;
    },
    accentless: () => {
      if (!accented.length) return '';
      const w = pick(accented);
      const f = fold(w);
      // Up to just past the first accented letter, at least 4 letters.
      const firstAccent = [...w].findIndex((ch) => !ascii(ch));
      return f.slice(0, Math.min(f.length, Math.max(4, firstAccent + 2)));
    },
  };
  const plan = [
    ['prefix', 20],
    ['firstLast', 6],
    ['email', 14],
    ['accentless', 10],
  ];
  const queries = [];
  const seen = new Set();
  for (const [kind, n] of plan) {
    let made = 0;
    for (let tries = 0; made < n && tries < n * 50; tries++) {
      const q = makers[kind]();
      if (q.length < 2 || seen.has(q)) continue;
      seen.add(q);
      queries.push({ kind, q });
      made++;
    }
  }
  // Fill up with prefixes if a kind had too few candidates (e.g. no accents).
  for (let tries = 0; queries.length < count && tries < 5000; tries++) {
    const q = makers.prefix();
    if (q.length >= 2 && !seen.has(q)) {
      seen.add(q);
      queries.push({ kind: 'prefix', q });
    }
  }
  return queries.slice(0, count);
}

/** The query typed during the cold start: the start of the first account's name. */
export function probeQuery(bundle) {
  const sorted = bundle.accounts.filter((a) => !a.archived).map((a) => fold(a.name)).sort();
  const name = sorted[Math.floor(sorted.length / 2)] || 'a';
  return name.split(/\s+/)[0].slice(0, 3);
}

/** The app refuses bundle files larger than this (bundle::MAX_BYTES). */
export const MAX_IMPORT_BYTES = 256 * 1024 * 1024;

/**
 * The file(s) to import through the app. A bundle within the app's 256 MiB
 * limit is imported whole. A larger one would be refused, so it is split into parts that are each a valid bundle
 * under the limit, written without indentation: the accounts in `k`
 * contiguous runs (in the file's order, by id), each part with its
 * accounts' links, notes and history, every contact those links name (a
 * contact shared by accounts in two parts is in both: the second import
 * finds it unchanged), and the whole catalog. Cached next to the bundle.
 */
export function importParts(bundlePath, bundle) {
  if (statSync(bundlePath).size <= MAX_IMPORT_BYTES) return [bundlePath];
  const stamp = readFileSync(`${bundlePath}.stamp`, 'utf8').trim();
  const base = bundlePath.replace(/\.json$/, '');
  const partsStamp = `${base}.parts.stamp`;
  if (existsSync(partsStamp)) {
    const [want, ...files] = readFileSync(partsStamp, 'utf8').trim().split('\n');
    if (want === stamp && files.every((f) => existsSync(f))) return files;
  }
  const contactsById = new Map(bundle.contacts.map((c) => [c.id, c]));
  const group = (list, key) => {
    const m = new Map();
    for (const x of list) {
      const k = x[key];
      if (!m.has(k)) m.set(k, []);
      m.get(k).push(x);
    }
    return m;
  };
  const links = group(bundle.links, 'account_id');
  const notes = group(bundle.notes, 'account_id');
  const history = group(bundle.history, 'account_id');
  for (let k = Math.ceil(JSON.stringify(bundle).length / (0.8 * MAX_IMPORT_BYTES)); k < 100; k++) {
    const per = Math.ceil(bundle.accounts.length / k);
    const texts = [];
    for (let i = 0; i < k; i++) {
      const accounts = bundle.accounts.slice(i * per, (i + 1) * per);
      const ls = accounts.flatMap((a) => links.get(a.id) ?? []);
      const ids = new Set(ls.map((l) => l.contact_id));
      const part = {
        ...bundle,
        accounts,
        contacts: bundle.contacts.filter((c) => ids.has(c.id)),
        links: ls,
        notes: accounts.flatMap((a) => notes.get(a.id) ?? []),
        history: accounts.flatMap((a) => history.get(a.id) ?? []),
      };
      for (const id of ids) if (!contactsById.has(id)) throw new Error(`link to a missing contact ${id}`);
      texts.push(JSON.stringify(part));
    }
    if (texts.every((t) => Buffer.byteLength(t) <= MAX_IMPORT_BYTES)) {
      const files = texts.map((t, i) => {
        const f = `${base}.part${i + 1}of${k}.json`;
        writeFileSync(f, t);
        return f;
      });
      writeFileSync(partsStamp, `${stamp}\n${files.join('\n')}\n`);
      console.log(`  over the app's 256 MiB import limit: split into ${k} parts of ${texts.map((t) => (Buffer.byteLength(t) / 1048576).toFixed(1)).join(', ')} MiB`);
      return files;
    }
  }
  throw new Error('could not split the bundle under the import limit');
}
