// The message files of the pages agree: French, Dutch and English have the same keys, no message is
// empty, placeholders ({name}) are the same in the three languages, and every key that a page or a
// script names literally (data-i18n="...", t('...')) exists. Run by ctest (label unit):
//   node tests/browser/i18n_check.mjs services/gateway/web
import fs from 'node:fs';
import path from 'node:path';

const web = process.argv[2];
const load = (lang) => JSON.parse(fs.readFileSync(path.join(web, 'i18n', `${lang}.json`), 'utf8'));
const files = { fr: load('fr'), nl: load('nl'), en: load('en') };
const problems = [];
const holes = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');

for (const key of Object.keys(files.fr)) {
  for (const lang of ['nl', 'en']) {
    if (!(key in files[lang])) problems.push(`${lang}: missing ${key}`);
    else if (holes(files[lang][key]) !== holes(files.fr[key])) problems.push(`${lang}: placeholders of ${key} differ`);
  }
}
for (const lang of ['nl', 'en']) {
  for (const key of Object.keys(files[lang])) if (!(key in files.fr)) problems.push(`fr: missing ${key}`);
}
for (const [lang, messages] of Object.entries(files)) {
  for (const [key, text] of Object.entries(messages)) if (!text.trim()) problems.push(`${lang}: ${key} is empty`);
}

const used = new Set();
const sources = [
  ...fs.readdirSync(web).filter((f) => f.endsWith('.html')).map((f) => path.join(web, f)),
  ...fs.readdirSync(path.join(web, 'js')).filter((f) => f.endsWith('.js')).map((f) => path.join(web, 'js', f)),
];
for (const file of sources) {
  const text = fs.readFileSync(file, 'utf8');
  for (const m of text.matchAll(/data-i18n="([a-z_]+\.[\w.]+)"/g)) used.add(`${m[1]} (${path.basename(file)})`);
  for (const m of text.matchAll(/(?:=|:)\s*([a-z_]+\.[\w.]+)(?=[;"])/g)) {
    if (/data-i18n-attr="[^"]*$/.test(text.slice(0, m.index + 1))) used.add(`${m[1]} (${path.basename(file)})`);
  }
  for (const m of text.matchAll(/\bt\('([a-z_]+\.[\w.]+)'/g)) used.add(`${m[1]} (${path.basename(file)})`);
  for (const m of text.matchAll(/<meta name="relais-title" content="([\w.]+)">/g)) used.add(`${m[1]} (${path.basename(file)})`);
}
for (const entry of used) {
  const key = entry.split(' ')[0];
  if (!(key in files.fr)) problems.push(`no message for ${entry}`);
}

if (problems.length) {
  console.error(problems.join('\n'));
  console.error(`${problems.length} problem(s)`);
  process.exit(1);
}
console.log(`${Object.keys(files.fr).length} messages in fr, nl, en; ${used.size} uses checked`);
