// The public directory: no sign-in, search by commune, kind of service and public (results compared
// with the demo data itself), pictograms beside the words, printable, and a secret address never on
// the page: not for the public, and not even for a signed-in operator whom the API would tell it.
import fs from 'node:fs';
import { check, equal, noProblems, person, run, shot, signIn, until, url, world } from './lib.mjs';

const demo = JSON.parse(fs.readFileSync(world.demo_file, 'utf8'));
const secret = demo.shelters.filter((s) => s.secretAddress);
const ids = (list) => list.map((s) => s.id).sort().join(',');

async function shown(page) {
  return page.$$eval('#results li[data-shelter]', (items) => items.map((li) => li.dataset.shelter).sort().join(','));
}

async function searchFor(page, filters) {
  await page.selectOption('#f-commune', filters.commune || '');
  await page.selectOption('#f-kind', filters.kind || '');
  await page.selectOption('#f-public', filters.public || '');
  await page.fill('#f-text', filters.text || '');
  await page.click('#filters button[type=submit]');
  const expected = ids(demo.shelters.filter((s) => (!filters.commune || s.commune === filters.commune) &&
    (!filters.kind || s.kind === filters.kind) && (!filters.public || s.publics.includes(filters.public)) &&
    (!filters.text || `${s.name} ${s.organisation}`.toLowerCase().includes(filters.text.toLowerCase()))));
  await until(async () => (await shown(page)) === expected || (await shown(page)), `results for ${JSON.stringify(filters)}`);
  return expected.split(',').filter(Boolean).length;
}

function secretAbsent(html, who) {
  check(secret.length > 0, 'the demo data has a secret-address shelter');
  for (const s of secret) {
    check(!html.includes(s.address.street), `${who}: the secret street of ${s.id} is on the page`);
    check(!html.includes(String(s.location.latitude)), `${who}: the secret location of ${s.id} is on the page`);
  }
}

await run('directory', async () => {
  const page = await person({ width: 1200, height: 900 });
  await page.goto(url('/directory.html'));
  equal(await searchFor(page, {}), demo.shelters.length, 'every service without a filter');

  const n = await searchFor(page, { commune: secret[0].commune });
  check(n >= 1, 'the secret shelter\'s commune has results');
  const card = page.locator(`li[data-shelter="${secret[0].id}"]`);
  check((await card.locator('.address-hidden').innerText()).includes('Adresse confidentielle'), 'said to be confidential');
  secretAbsent(await page.content(), 'public');
  await shot(page, 'directory-commune');

  equal(await searchFor(page, { kind: 'SERVICE_KIND_CPAS' }), 2, 'the two CPAS of the demo');
  const picto = page.locator('#results li[data-shelter] .kind img[src="/img/kind-cpas.svg"]');
  equal(await picto.count(), 2, 'a pictogram beside each kind of service');
  equal(await picto.first().getAttribute('alt'), '', 'pictograms are decoration beside the words');

  await searchFor(page, { commune: 'ixelles', public: 'unaccompanied_minors' });
  await searchFor(page, { text: 'samusocial' });
  await searchFor(page, { public: 'families', kind: 'SERVICE_KIND_EMERGENCY_SHELTER' });
  secretAbsent(await page.content(), 'public');

  // The search is in the address: a reload (or a shared link) shows the same.
  await page.reload();
  await until(async () => (await page.inputValue('#f-public')) === 'families', 'filters kept after a reload');

  await page.emulateMedia({ media: 'print' });
  check(!(await page.locator('#filters').isVisible()), 'the print leaves the search form out');
  check(await page.locator('#criteria').isVisible(), 'the print says what was searched');
  await shot(page, 'directory-print');
  await page.emulateMedia({ media: 'screen' });
  noProblems(page, 'public directory');

  // A signed-in operator may read secret addresses through the API; the directory page still hides them.
  const operator = await person();
  await signIn(operator, 'operator');
  await operator.goto(url(`/directory.html?commune=${secret[0].commune}`));
  await until(async () => (await operator.locator(`li[data-shelter="${secret[0].id}"]`).count()) === 1, 'operator search');
  const api = await operator.evaluate(async (id) => (await (await fetch(`/api/v1/shelters/${id}`)).json()).shelter, secret[0].id);
  equal(api.address.street, secret[0].address.street, 'the API tells an operator the secret address (control)');
  secretAbsent(await operator.content(), 'operator');
  noProblems(operator, 'directory for an operator');
});
