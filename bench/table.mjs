#!/usr/bin/env node
// Prints bench/results.json (or the file named) as the Markdown table that
// README.md shows, with the line saying when and on what it was measured.
import { readFileSync } from 'node:fs';
import { footnotes, loadText, markdownTable } from './lib/report.mjs';

const file = process.argv[2] ?? new URL('results.json', import.meta.url).pathname;
const r = JSON.parse(readFileSync(file, 'utf8'));
const reps = Object.entries(r.settings.reps).map(([n, k]) => `${k}× at ${Number(n).toLocaleString('en-US')}`).join(', ');
console.log(markdownTable(r));
console.log('');
console.log(footnotes(r).join('  \n'));
console.log('');
console.log(
  `Measured ${r.date.slice(0, 10)} at commit \`${r.commit?.slice(0, 10)}\`${r.dirty ? ` (with uncommitted changes${r.uncommitted ? ` to ${r.uncommitted.join(', ')}` : ''})` : ''}, ` +
    `${r.machine.cpus} CPUs (${r.machine.cpuModel}), ${r.browser}, headless; medians of ${reps}${loadText(r) ? `; ${loadText(r)}` : ''}.`,
);
