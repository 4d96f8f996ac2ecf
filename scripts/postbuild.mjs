// Trunk post_build hook (Trunk.toml): runs on the staged build before Trunk
// moves it into the dist folder, for `trunk build` and `trunk serve` alike.
//
// 1. Content-Security-Policy: Trunk writes its wasm loader (and, under
//    `trunk serve`, its auto-reload script) inline into index.html. The CSP
//    (index.html) allows scripts from the app's own files only, so each
//    inline script is moved into a file named after its content hash and
//    referenced with `src`.
// 2. Offline (release builds only): fills in sw.js, the service worker
//    copied from assets/sw.js, with the list of every file of the build and
//    a version (a hash of all their contents), so each release is a new
//    worker with its own cache. A debug build (`trunk serve`) gets no worker:
//    sw.js is removed and sw-register.js replaced by a stub that removes a
//    worker left by a release build served at the same address.
//
// `trunk serve` fills placeholders ({{__TRUNK_ADDRESS__}}...) into its
// auto-reload script when it serves index.html, so in a debug build that one
// script stays inline and the CSP gets 'unsafe-inline' (development only).
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';

const stage = resolve(process.env.TRUNK_STAGING_DIR ?? process.argv[2] ?? 'dist');
const release = (process.env.TRUNK_PROFILE ?? 'release') === 'release';
const base = process.env.TRUNK_PUBLIC_URL ?? './';
const sha = (data) => createHash('sha256').update(data).digest('hex');

// 1. Inline scripts into files.
const indexPath = join(stage, 'index.html');
let html = await readFile(indexPath, 'utf8');
const inline = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi;
const moved = [];
let keptInline = false;
html = html.replace(inline, (tag, attrs, body) => {
  if (/\bsrc\s*=/i.test(attrs) || body.trim() === '') return tag;
  if (!release && body.includes('{{__TRUNK_')) {
    keptInline = true;
    return tag;
  }
  const name = `loader-${sha(body).slice(0, 16)}.js`;
  moved.push([name, body]);
  return `<script${attrs} src="${base}${name}"></script>`;
});
for (const [name, body] of moved) await writeFile(join(stage, name), body);
if (keptInline) {
  html = html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'");
} else if (/<script\b(?![^>]*\bsrc\s*=)[^>]*>\s*\S/i.test(html)) {
  throw new Error('postbuild: an inline script is left in index.html');
}
await writeFile(indexPath, html);

// 2. The service worker.
const swPath = join(stage, 'sw.js');
if (!release) {
  await rm(swPath, { force: true });
  await writeFile(
    join(stage, 'sw-register.js'),
    '// Debug build (trunk serve): no service worker. Remove one that a release build\n' +
      '// served at this address left behind, so development never runs cached code.\n' +
      'navigator.serviceWorker?.getRegistrations().then((all) => all.forEach((r) => r.unregister()));\n',
  );
  console.log(`postbuild: moved ${moved.length} inline script(s) into files; debug build, no service worker`);
} else {
  async function walk(dir) {
    const out = [];
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) out.push(...(await walk(path)));
      else out.push(path);
    }
    return out;
  }
  const files = (await walk(stage))
    .map((p) => relative(stage, p).split(sep).join('/'))
    .filter((p) => p !== 'sw.js')
    .sort();
  const hash = createHash('sha256');
  for (const f of files) hash.update(f).update('\0').update(await readFile(join(stage, f))).update('\0');
  const version = hash.digest('hex').slice(0, 16);
  const template = await readFile(swPath, 'utf8');
  if (!template.includes('__CLIENTBOOK_VERSION__') || !template.includes('__CLIENTBOOK_FILES__')) {
    throw new Error('postbuild: sw.js has no placeholders to fill');
  }
  await writeFile(
    swPath,
    template.replace("'__CLIENTBOOK_VERSION__'", JSON.stringify(version)).replace('__CLIENTBOOK_FILES__', JSON.stringify(files, null, 2)),
  );
  console.log(`postbuild: moved ${moved.length} inline script(s) into files; sw.js caches ${files.length} files as version ${version}`);
}
