// Clientbook's service worker: keeps the app shell on the device so that
// Clientbook starts with no network. Plain JavaScript, no libraries.
//
// `make build` (Trunk's post_build hook, scripts/postbuild.mjs) fills in
// VERSION (a hash of every file of the build) and FILES (every file of the
// build, relative to this worker). A new release is therefore a new worker
// with a new cache; the old cache is deleted when the new worker takes over.
// Paths are resolved against the worker's scope, so the same build works
// from any sub-path.
const VERSION = "d68c6f39c3bbc0a6";
const FILES = [
  "clientbook-bf885af7c6ebfbe6.js",
  "clientbook-bf885af7c6ebfbe6_bg.wasm",
  "clients-66dcc304d8175c18.css",
  "data-ef03f8d637fe1770.css",
  "icon-192.png",
  "icon-512.png",
  "icon-maskable-512.png",
  "icon.svg",
  "index.html",
  "loader-43a8b3dc25a9e267.js",
  "main-e81e895f99d142c9.css",
  "manifest.webmanifest",
  "profile-25237b308bec5449.css",
  "settings-9bc4764a464c9700.css",
  "sw-register.js"
];
const PREFIX = 'clientbook-shell-';
const CACHE = PREFIX + VERSION;
const SCOPE = new URL(self.registration.scope);
const INDEX = new URL('index.html', SCOPE).href;

// Files whose name carries a hash of their content (Trunk's `name-<16 hex>`)
// never change under that name: the copy the page has just downloaded (HTTP
// cache) will do, so the first visit does not download the wasm twice when
// the host allows caching. Other files (index.html, this folder's icons...)
// are fetched afresh.
const HASHED = /-[0-9a-f]{16}(_bg)?\.[a-z]+$/;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      cache.addAll(FILES.map((f) => new Request(new URL(f, SCOPE), { cache: HASHED.test(f) ? 'default' : 'reload' }))),
    ),
  );
  // No skipWaiting() here: a running tab keeps its version until the
  // practitioner chooses "Reload" (the app then posts 'skip-waiting').
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== SCOPE.origin || !url.pathname.startsWith(SCOPE.pathname)) return;
  // Every page of the app is index.html (routes are in the #hash).
  const isPage = request.mode === 'navigate' && (url.href.split(/[?#]/)[0] === SCOPE.href || url.href.split(/[?#]/)[0] === INDEX);
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      const hit = await cache.match(isPage ? INDEX : request, { ignoreSearch: true });
      return hit ?? fetch(request);
    }),
  );
});
