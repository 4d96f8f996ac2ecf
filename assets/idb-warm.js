// Starts opening the app's database while the app itself is still being
// fetched and compiled. Chromium's first open of an origin's IndexedDB
// reads its whole store (0.45-0.75 s with 100,000 contacts, measured); the
// app's own open, a moment later, then finds it ready. Nothing is read or
// written here: a database that does not exist yet is not created (the
// upgrade is aborted), and the connection closes as soon as anything wants
// to change or delete the database, and after a few seconds in any case.
try {
  const demo = localStorage.getItem('clientbook-mode') === 'demo';
  const open = indexedDB.open(demo ? 'clientbook-demo' : 'clientbook');
  open.onupgradeneeded = () => open.transaction.abort();
  open.onerror = (e) => e.preventDefault();
  open.onsuccess = () => {
    const db = open.result;
    db.onversionchange = () => db.close();
    setTimeout(() => db.close(), 5000);
  };
} catch (e) {
  // No IndexedDB or no localStorage here: the app reports it itself.
}
