// Writes records straight into the app's IndexedDB (plain JS, in the page),
// for data no page can create yet (tags, team members, sent invitations) and
// for 10,000 accounts at once. Call after the app has opened the database
// (`openApp`), then reload. Field names follow src/store/records.rs and
// src/domain/*.rs.

let counter = 0;

/** A fresh id: 32 lowercase hex digits (the prefix must be hex too). */
export function hexId(prefix = '') {
  counter += 1;
  const tail = `${Date.now().toString(16)}${counter.toString(16).padStart(8, '0')}`;
  return (prefix + tail).padEnd(32, '0').slice(0, 32);
}

/** Lower case without accents (enough for the names used in tests). */
export function fold(s) {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
}

export function accountRecord({ id = hexId('ac'), name, type = 'Individual', tags = [], team = [], archived = false, created = Date.now() }) {
  return {
    id, name, type, company_name: '', tags, team, roles: [], custom: {}, folder_template: null,
    has_photo: false, archived, created_at: created, updated_at: created, name_key: fold(name),
  };
}

export function contactRecord({ id = hexId('cc'), first, last, email, created = Date.now() }) {
  return {
    id, first_name: first, middle_name: '', last_name: last, emails: email ? [email] : [], phones: [],
    date_of_birth: '', tags: [], custom: {}, created_at: created, updated_at: created,
    name_key: fold(`${last} ${first}`), email_keys: email ? [email.toLowerCase()] : [],
  };
}

export function linkRecord({ account, contact, email, login = false, invitedAt = null, activatedAt = null }) {
  return {
    account_id: account, contact_id: contact, description: '', signer_priority: null,
    email_access: email
      ? [{
          email: email.toLowerCase(), login, notify: false, email_sync: false, signatory: login,
          notify_prefs: { messages: true, documents: true, organizers: true, invoices: true, signatures: true },
          invited_at: invitedAt, activated_at: activatedAt,
        }]
      : [],
  };
}

export const tagItem = (name, color = 'red', id = hexId('ba')) => ({ item: 'Tag', id, name, color });
export const memberItem = (name, id = hexId('ee')) => ({
  item: 'Member', id, name, email: `${fold(name)}@firm.example`, role: 'Employee',
  view_all_accounts: true, manage_accounts: true,
});

/** Puts records into the stores, in one transaction. The app's directory
 * (the `summary` store) and bundle lines (the `lines` store), derived from
 * these records and kept in step by the app's own writes, are cleared, so
 * the app rebuilds them on their next read. */
export async function seed(page, { accounts = [], contacts = [], links = [], catalog = [] }) {
  await page.evaluate(async (data) => {
    const db = await new Promise((resolve, reject) => {
      const r = indexedDB.open('clientbook');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    await new Promise((resolve, reject) => {
      const tx = db.transaction(['accounts', 'contacts', 'links', 'catalog', 'summary', 'lines'], 'readwrite');
      for (const [store, rows] of Object.entries(data)) {
        const s = tx.objectStore(store);
        for (const row of rows) s.put(row);
      }
      tx.objectStore('summary').clear();
      tx.objectStore('lines').clear();
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
    db.close();
  }, { accounts, contacts, links, catalog });
}
