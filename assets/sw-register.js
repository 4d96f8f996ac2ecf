// Registers the service worker (sw.js, next to index.html, so its scope is
// the folder the app is served from) and tells the app when a new version
// is waiting. The app (src/ui/components/update.rs) reads
// `window.clientbookUpdateReady`, listens for the `clientbook-update-ready`
// event, and calls `window.clientbookApplyUpdate()` when the practitioner
// chooses "Reload".
const sw = navigator.serviceWorker;

function ready(registration) {
  window.clientbookUpdateReady = true;
  window.clientbookApplyUpdate = () => {
    if (!registration.waiting) {
      location.reload();
      return;
    }
    sw.addEventListener('controllerchange', () => location.reload(), { once: true });
    registration.waiting.postMessage('skip-waiting');
  };
  window.dispatchEvent(new Event('clientbook-update-ready'));
}

if (sw && window.isSecureContext) {
  sw.register('sw.js').then(
    (registration) => {
      // Some browsers (a policy, an automation setting) block workers and
      // resolve with nothing: the app still works, online.
      if (!registration) return;
      // A worker that was already waiting when this page loaded.
      if (registration.waiting && sw.controller) ready(registration);
      registration.addEventListener('updatefound', () => {
        const worker = registration.installing;
        worker?.addEventListener('statechange', () => {
          // "installed" with a controller: an update, not the first install.
          if (worker.state === 'installed' && sw.controller) ready(registration);
        });
      });
      // Look for a new release whenever the app comes back to the front,
      // and every hour in a tab that stays open (offline, this fails quietly).
      const check = () => registration.update().catch(() => {});
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') check();
      });
      setInterval(check, 60 * 60 * 1000);
    },
    // No worker (e.g. `trunk serve` builds none): the app still works, online.
    (e) => console.info('Clientbook works online only here:', e.message),
  );
}
