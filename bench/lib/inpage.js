// Functions that run inside the page. Playwright serialises each one on its
// own, so every function here is self-contained (no imports, no closures
// over module variables). docs/benchmarks.md says what each one measures.

/**
 * Installed before any page script (context.addInitScript) on every
 * document. Keeps what the harness needs in `window.__bench`:
 * - `wasm`: the wasm exports (Trunk's loader passes them in the
 *   `TrunkApplicationStarted` event), for the linear memory's size;
 * - `blobs`: every Blob given to `URL.createObjectURL` (the export's
 *   download), with the time it was made;
 * - `onSearchRendered`: called, synchronously, when the app marks
 *   `clientbook:search-rendered` (src/ui/components/search.rs);
 * - `afterPaint()`: a promise of the time just after the next frame is
 *   painted (requestAnimationFrame, then a message posted from it, which is
 *   delivered after that frame's rendering work).
 */
export function instrument() {
  if (window.__bench) return;
  const b = (window.__bench = { blobs: [], onSearchRendered: null });
  b.afterPaint = () =>
    new Promise((resolve) =>
      requestAnimationFrame(() => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => resolve(performance.now());
        ch.port2.postMessage(0);
      }),
    );
  b.sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  b.within = (promise, ms) => Promise.race([promise, b.sleep(ms).then(() => ({ timeout: true }))]);
  addEventListener('TrunkApplicationStarted', (e) => {
    b.wasm = e.detail && e.detail.wasm;
    b.appStarted = performance.now();
  });
  const createObjectURL = URL.createObjectURL;
  URL.createObjectURL = function (o) {
    const url = createObjectURL.call(URL, o);
    if (o instanceof Blob) b.blobs.push({ at: performance.now(), bytes: o.size });
    return url;
  };
  const mark = performance.mark;
  performance.mark = function (name, options) {
    const entry = mark.call(performance, name, options);
    if (name === 'clientbook:search-rendered' && b.onSearchRendered) {
      b.onSearchRendered(options ? options.detail : undefined);
    }
    return entry;
  };
}

/**
 * Cold start, installed as an init script for the navigation to
 * `#/clients` with N records stored. As soon as the first row of the
 * accounts list is in the DOM (and the search box exists), it types
 * `probe` into the search box (focus, value, `input` event: what a keystroke
 * does) and waits for the first search result option. Times are
 * milliseconds since the navigation started (performance.now()).
 */
export function coldStartWatcher(probe) {
  if (!location.hash.startsWith('#/clients') || window.top !== window) return;
  const b = window.__bench;
  const cold = (b.cold = {});
  cold.finished = new Promise((resolve) => (cold.finish = resolve));
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
      cold.focused = document.activeElement === input;
      input.value = probe;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      cold.probeTyped = performance.now();
    }
    if (stage === 1 && document.querySelector(optSel)) {
      stage = 2;
      cold.resultsInDom = performance.now();
      observer.disconnect();
      b.afterPaint().then((t) => {
        cold.resultsPainted = t;
        cold.finish();
      });
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true });
}

/** What the cold-start watcher saw, once it has finished (or the timeout). */
export async function coldStartResult(timeoutMs) {
  const b = window.__bench;
  if (!b.cold) return { error: 'the cold-start watcher did not run' };
  const r = await b.within(b.cold.finished, timeoutMs);
  const { finish, finished, ...times } = b.cold;
  const nav = performance.getEntriesByType('navigation')[0];
  return {
    timeout: Boolean(r && r.timeout),
    ...times,
    appStarted: b.appStarted,
    responseEnd: nav ? nav.responseEnd : null,
    domContentLoaded: nav ? nav.domContentLoadedEventEnd : null,
    serviceWorker: Boolean(navigator.serviceWorker && navigator.serviceWorker.controller),
  };
}

/** Bytes of the wasm linear memory (null if the loader did not pass the exports). */
export function wasmMemoryBytes() {
  const w = window.__bench && window.__bench.wasm;
  return w && w.memory ? w.memory.buffer.byteLength : null;
}

/**
 * Import through the app: called on `#/data` before the file is chosen.
 * Notes the file input's `change`, waits for the preview (the plan table
 * and an enabled Import button), clicks Import just after the preview is
 * painted, and notes when "Import finished." is in the DOM and painted.
 */
export function armImport() {
  const b = window.__bench;
  const imp = (b.imp = {});
  imp.finished = new Promise((resolve) => (imp.finish = resolve));
  const card = document.getElementById('import-title').closest('section');
  const input = document.getElementById('import-file');
  input.addEventListener('change', () => (imp.selected = performance.now()), { capture: true, once: true });
  const check = () => {
    if (imp.selected === undefined) return;
    if (imp.previewShown === undefined) {
      const button = [...card.querySelectorAll('button')].find((x) => x.textContent.trim() === 'Import');
      if (button && !button.disabled && card.querySelector('table.plan')) {
        imp.previewShown = performance.now();
        b.afterPaint().then((t) => {
          imp.previewPainted = t;
          imp.clicked = performance.now();
          button.click();
        });
      }
    }
    const alert = card.querySelector('[role="alert"], .banner.error');
    if (alert && imp.error === undefined) {
      imp.error = alert.textContent.trim().slice(0, 500);
      observer.disconnect();
      imp.finish();
    }
    const done = [...card.querySelectorAll('[role="status"]')].find((x) => x.textContent.includes('Import finished.'));
    if (done && imp.clicked !== undefined && imp.done === undefined) {
      imp.done = performance.now();
      observer.disconnect();
      b.afterPaint().then((t) => {
        imp.donePainted = t;
        imp.finish();
      });
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(card, { childList: true, subtree: true, characterData: true, attributes: true });
}

export async function importResult(timeoutMs) {
  const b = window.__bench;
  const r = await b.within(b.imp.finished, timeoutMs);
  const { finish, finished, ...times } = b.imp;
  return { timeout: Boolean(r && r.timeout), ...times };
}

/** The object stores and indexes of the app's database, as IndexedDB reports them. */
export async function appSchema() {
  const db = await new Promise((resolve, reject) => {
    const r = indexedDB.open('clientbook');
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const names = [...db.objectStoreNames];
  const tx = db.transaction(names, 'readonly');
  const stores = names.map((name) => {
    const s = tx.objectStore(name);
    return {
      name,
      keyPath: s.keyPath,
      autoIncrement: s.autoIncrement,
      indexes: [...s.indexNames].map((i) => {
        const x = s.index(i);
        return { name: i, keyPath: x.keyPath, unique: x.unique, multiEntry: x.multiEntry };
      }),
    };
  });
  const counts = {};
  await Promise.all(
    names.map(
      (name) =>
        new Promise((resolve, reject) => {
          const r = tx.objectStore(name).count();
          r.onsuccess = () => resolve((counts[name] = r.result));
          r.onerror = () => reject(r.error);
        }),
    ),
  );
  db.close();
  return { version: db.version, stores, counts };
}

/**
 * The plain-JavaScript baseline: reads the same file(s), parses them, opens a
 * fresh database with the app's stores and indexes (`schema`, read from the
 * app's own database), puts every record in ONE readwrite transaction with
 * durability 'strict' (a put per record, nothing awaited but the
 * transaction's `complete`; with several files, all of their records in
 * that one transaction), then deletes that database again. The derived
 * fields the indexes read (`name_key`, `email_keys`) are computed as part of
 * the timed work, with a simple fold (lower case, accents removed).
 */
export async function rawBaseline({ inputId, schema, timeoutMs }) {
  const b = window.__bench;
  const files = [...document.getElementById(inputId).files];
  const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
  const name = `bench-baseline-${Date.now()}`;
  const t0 = performance.now();
  const bundles = [];
  for (const file of files) bundles.push(JSON.parse(await file.text()));
  const t1 = performance.now();
  const db = await new Promise((resolve, reject) => {
    const r = indexedDB.open(name, 1);
    r.onupgradeneeded = () => {
      for (const s of schema.stores) {
        const store = r.result.createObjectStore(s.name, { keyPath: s.keyPath, autoIncrement: s.autoIncrement });
        for (const i of s.indexes) store.createIndex(i.name, i.keyPath, { unique: i.unique, multiEntry: i.multiEntry });
      }
    };
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const t2 = performance.now();
  const stores = ['catalog', 'accounts', 'contacts', 'links', 'notes', 'history'];
  const tx = db.transaction(stores, 'readwrite', { durability: 'strict' });
  const complete = new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error || new Error('aborted'));
  });
  let records = 0;
  const catalog = tx.objectStore('catalog');
  const accounts = tx.objectStore('accounts');
  const contacts = tx.objectStore('contacts');
  const links = tx.objectStore('links');
  const notes = tx.objectStore('notes');
  const history = tx.objectStore('history');
  for (const bundle of bundles) {
    for (const [kind, items] of Object.entries(bundle.catalog)) {
      for (const item of items) {
        catalog.put({ item: kind, ...item });
        records++;
      }
    }
    for (const a of bundle.accounts) {
      a.name_key = fold(a.name);
      accounts.put(a);
    }
    for (const c of bundle.contacts) {
      c.name_key = fold(`${c.last_name} ${c.first_name} ${c.middle_name}`);
      c.email_keys = c.emails.map((e) => e.toLowerCase());
      contacts.put(c);
    }
    for (const l of bundle.links) links.put(l);
    for (const n of bundle.notes) notes.put(n);
    for (const h of bundle.history) history.put(h);
    records += bundle.accounts.length + bundle.contacts.length + bundle.links.length + bundle.notes.length + bundle.history.length;
  }
  const t3 = performance.now();
  const r = await b.within(complete, timeoutMs);
  const t4 = performance.now();
  db.close();
  await new Promise((resolve) => {
    const d = indexedDB.deleteDatabase(name);
    d.onsuccess = d.onerror = d.onblocked = () => resolve();
  });
  return {
    timeout: Boolean(r && r.timeout),
    records,
    readParseMs: t1 - t0,
    openMs: t2 - t1,
    putsIssuedMs: t3 - t2,
    writeMs: t4 - t2,
    totalMs: t4 - t0,
  };
}

/**
 * Search, one key: call before the key is pressed. Notes the keydown's
 * time, then waits for the app's `clientbook:search-rendered` mark for
 * `expected` (the box's text after this key) and for the frame after it to
 * be painted.
 */
export function armKey(expected) {
  const b = window.__bench;
  const key = (b.key = { expected });
  key.finished = new Promise((resolve) => (key.finish = resolve));
  if (!b.keyListener) {
    b.keyListener = true;
    window.addEventListener(
      'keydown',
      (e) => {
        if (b.key && b.key.start === undefined) b.key.start = e.timeStamp;
      },
      true,
    );
  }
  b.onSearchRendered = (detail) => {
    const k = b.key;
    if (!k || k.marked !== undefined || detail !== k.expected) return;
    k.marked = performance.now();
    b.afterPaint().then((t) => {
      k.painted = t;
      k.finish();
    });
  };
}

export async function keyResult(timeoutMs) {
  const b = window.__bench;
  const r = await b.within(b.key.finished, timeoutMs);
  const { finish, finished, ...k } = b.key;
  return {
    timeout: Boolean(r && r.timeout),
    ...k,
    options: document.querySelectorAll('#client-search-results [role="option"]').length,
    value: document.getElementById('client-search').value,
  };
}

/**
 * Scrolls the accounts list from the top through `maxRows` rows (or all of
 * them), `stepPx` pixels per frame (default: one viewport, as PageDown),
 * setting scrollTop from requestAnimationFrame. Returns every frame
 * interval (rAF timestamp deltas), the idle frame interval before, and the
 * most row elements seen in the DOM in any frame.
 */
export async function scrollList({ maxRows, stepPx, timeoutMs }) {
  const b = window.__bench;
  const table = document.querySelector('[role="table"][aria-label="Accounts"]');
  const scroller = table.querySelector('.vscroll');
  const rowEls = () => table.querySelectorAll('.vbody [role="row"]');
  const total = Number(table.getAttribute('aria-rowcount')) - 1;
  const rows = Math.min(maxRows, total);
  const first = rowEls()[0];
  const rowHeight = first ? first.getBoundingClientRect().height : 44;
  const target = Math.max(0, Math.round(rows * rowHeight - scroller.clientHeight));
  const step = stepPx || scroller.clientHeight;
  scroller.scrollTop = 0;
  await b.afterPaint();
  const idle = [];
  await new Promise((resolve) => {
    let last;
    const tick = (t) => {
      if (last !== undefined) idle.push(t - last);
      last = t;
      if (idle.length >= 30) resolve();
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const longFrames = [];
  let po = null;
  if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')) {
    po = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longFrames.push(e.duration);
    });
    po.observe({ type: 'long-animation-frame' });
  }
  const deltas = [];
  let maxRowElements = rowEls().length;
  const started = performance.now();
  const run = new Promise((resolve) => {
    let last;
    const frame = (t) => {
      if (last !== undefined) deltas.push(t - last);
      last = t;
      maxRowElements = Math.max(maxRowElements, rowEls().length);
      if (scroller.scrollTop >= target - 1 || performance.now() - started > timeoutMs) {
        resolve();
        return;
      }
      scroller.scrollTop = Math.min(target, scroller.scrollTop + step);
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  await run;
  await b.afterPaint();
  maxRowElements = Math.max(maxRowElements, rowEls().length);
  if (po) {
    po.takeRecords().forEach((e) => longFrames.push(e.duration));
    po.disconnect();
  }
  const shown = [...rowEls()].map((r) => Number(r.dataset.row));
  return {
    timeout: performance.now() - started > timeoutMs,
    listRows: total,
    rows,
    rowHeight,
    stepPx: step,
    viewportPx: scroller.clientHeight,
    durationMs: performance.now() - started,
    deltas,
    idle,
    longFrames,
    maxRowElements,
    lastRowShown: shown.length ? Math.max(...shown) + 1 : 0,
  };
}

/** Export everything: clicks the button and waits for the bundle's Blob. */
export async function exportAll(timeoutMs) {
  const b = window.__bench;
  const button = [...document.querySelectorAll('button')].find((x) => x.textContent.trim() === 'Export everything');
  if (!button) return { error: 'no "Export everything" button' };
  const before = b.blobs.length;
  const t0 = performance.now();
  button.click();
  while (b.blobs.length === before) {
    if (performance.now() - t0 > timeoutMs) return { timeout: true };
    await b.sleep(5);
  }
  const blob = b.blobs[before];
  return { timeout: false, ms: blob.at - t0, bytes: blob.bytes };
}
