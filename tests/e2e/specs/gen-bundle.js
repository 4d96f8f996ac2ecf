// A deterministic generator of large, valid bundles for the import tests
// and measurements (not the app's demo generator: that one lives in the
// domain layer; this one only has to produce files, fast, in Node).
//
// `generate({ accounts, seed })` gives a bundle object with `accounts`
// accounts, twice as many contacts (1-3 emails each, names with accents
// from several languages), every account linked to two contacts and every
// tenth contact shared with a second account, tags, team members, roles,
// custom fields, a note on every tenth account and a history entry on every
// fifth.

const FIRST = ['Ana', 'Ștefan', 'Jürgen', 'Zoë', 'François', 'Małgorzata', 'Åsa', 'Niels', 'Chloé', 'Mihai',
  'Grégoire', 'Björn', 'Léa', 'Ioana', 'Sjoerd', 'Dóra', 'Renée', 'Tomás', 'Øystein', 'Hélène'];
const LAST = ['Müller', 'Ştefănescu', 'de Vries', 'Dupont', 'Nowak', 'Jansen', 'Popescu', 'Lefèvre', 'Schäfer',
  'Van den Berg', 'García', 'Brâncuși', "O'Neill", 'Þórsson', 'Kowalski', 'Bakker', 'Ionescu', 'Mercier'];
const CITIES = ['București', 'Köln', 'Utrecht', 'Lyon', 'Cluj-Napoca', 'Gent', 'Zürich', 'Bruxelles'];
const address = (i) => ({
  street: `Strada ${LAST[i % LAST.length]} ${i % 97}`,
  city: CITIES[i % CITIES.length],
  state: '',
  postal_code: String(10000 + (i % 89999)),
  country: ['RO', 'DE', 'NL', 'FR', 'BE'][i % 5],
});
const prefs = { messages: true, documents: true, organizers: false, invoices: true, signatures: true };

/** 32 lower-case hex digits from a number and a kind (distinct per kind). */
export function hex(kind, n) {
  return (kind.toString(16).padStart(8, '0') + n.toString(16).padStart(24, '0')).slice(0, 32);
}

function ascii(s) {
  return s.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
}

export function generate({ accounts: n, seed = 1 }) {
  const tags = ['VIP', 'Payroll', 'Annual return', 'New client', 'Bookkeeping'].map((name, i) => ({
    id: hex(1, seed * 100 + i), name, color: ['blue', 'green', 'amber', 'red', 'purple'][i],
  }));
  const members = [
    { id: hex(2, seed * 100), name: 'Olga Owner', email: 'olga@firm.example', role: 'owner', view_all_accounts: true, manage_accounts: true },
    { id: hex(2, seed * 100 + 1), name: 'Ewa Employee', email: 'ewa@firm.example', role: 'employee', view_all_accounts: false, manage_accounts: true },
    { id: hex(2, seed * 100 + 2), name: 'Adam Admin', email: 'adam@firm.example', role: 'admin', view_all_accounts: true, manage_accounts: true },
  ];
  const roles = [{ id: hex(3, seed * 100), name: 'Preparer' }, { id: hex(3, seed * 100 + 1), name: 'Reviewer' }];
  const fields = [
    { id: hex(4, seed * 100), target: 'account', label: 'Tax ID', kind: 'text', options: [] },
    { id: hex(4, seed * 100 + 1), target: 'contact', label: 'Language', kind: 'dropdown', options: ['en', 'de', 'nl', 'fr', 'ro'] },
  ];
  const templates = [{ id: hex(5, seed * 100), name: 'Tax client', folders: ['Returns', 'Receipts'] }];
  const contacts = [];
  const nc = 2 * n;
  for (let i = 0; i < nc; i++) {
    const first = FIRST[i % FIRST.length], last = LAST[(i * 7) % LAST.length];
    const base = `${ascii(first)}.${ascii(last)}${i}`;
    const emails = [`${base}@example.com`];
    if (i % 3 === 1) emails.push(`${base}@work.example`);
    if (i % 5 === 2) emails.push(`${base.toUpperCase()}@home.example`);
    contacts.push({
      id: hex(7, seed * 10_000_000 + i), first_name: first, middle_name: i % 11 === 0 ? 'Maria' : '', last_name: last,
      emails, phones: i % 2 ? [`+40 721 ${String(i).padStart(6, '0')}`] : [], address: address(i),
      date_of_birth: i % 4 ? '' : `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
      tags: i % 6 === 0 ? [tags[i % 5].id] : [], custom: i % 3 === 0 ? { [fields[1].id]: fields[1].options[i % 5] } : {},
      created_at: 1_700_000_000_000 + i, updated_at: 1_700_000_000_000 + i,
    });
  }
  const accounts = [], links = [], notes = [], history = [];
  const link = (a, c, description) => links.push({
    account_id: a, contact_id: c.id, description, signer_priority: description ? 1 : null,
    emails: c.emails.map((e, k) => ({
      email: e.toLowerCase(), login: k === 0, notify: k === 0, email_sync: false, signatory: false,
      notify_prefs: prefs, invited_at: null, activated_at: null,
    })),
  });
  for (let a = 0; a < n; a++) {
    const id = hex(6, seed * 10_000_000 + a);
    const c1 = contacts[2 * a], c2 = contacts[2 * a + 1];
    const company = a % 3 === 1;
    accounts.push({
      id, name: company ? `${c1.last_name} ${CITIES[a % CITIES.length]} SRL ${a}` : `${c1.first_name} ${c1.last_name} ${a}`,
      type: company ? 'company' : a % 3 ? 'other' : 'individual', company_name: company ? `${c1.last_name} SRL` : '',
      address: address(a), tags: a % 4 === 0 ? [tags[a % 5].id, tags[(a + 1) % 5].id] : [],
      team: a % 2 ? [members[1].id] : [], roles: a % 5 === 0 ? [{ role: roles[0].id, member: members[1].id }] : [],
      custom: a % 2 ? { [fields[0].id]: `RO${10_000_000 + a}` } : {}, folder_template: a % 7 === 0 ? templates[0].id : null,
      archived: a % 50 === 49, created_at: 1_700_000_000_000 + a, updated_at: 1_700_000_000_000 + a,
    });
    link(id, c1, 'Primary contact');
    link(id, c2, '');
    if (a % 10 === 0) notes.push({ id: hex(8, seed * 10_000_000 + a), account_id: id, text: `Call about the ${2024 + (a % 2)} return.\nBring the receipts.`, by: 'Olga Owner', created_at: 1_700_000_000_000 + a, updated_at: 1_700_000_000_000 + a });
    if (a % 5 === 0) history.push({ id: hex(9, seed * 10_000_000 + a), account_id: id, at: 1_700_000_000_000 + a, by: 'Olga Owner', change: { what: 'Created' } });
  }
  // Every tenth contact is shared with the next account too.
  for (let i = 0; i < nc; i += 10) {
    const a = (Math.floor(i / 2) + 1) % n;
    if (n > 1) link(accounts[a].id, contacts[i], 'Also here');
  }
  return {
    format: 'clientbook-bundle', version: 1, exported_at: 1_700_000_000_000, app_version: 'test',
    catalog: { tags, members, roles, fields, templates }, accounts, contacts, links, notes, history,
  };
}
