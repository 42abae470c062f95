// The monitoring page: the month's report with the figures counted from what happened (calls made in
// this test, a small count withheld), the month picker, the downloads, and the places now, live.
import { api, check, equal, noProblems, person, run, shot, signIn, until, url } from './lib.mjs';

const keyFigure = async (page, key) =>
  (await page.locator(`#key-figures tr[data-figure="${key}"] td`).first().innerText()).trim();

await run('monitoring', async () => {
  const operator = await person();
  await signIn(operator, 'operator');
  for (let i = 0; i < 2; i++) await api(operator, 'POST', '/calls', { caller_kind: 'CALLER_KIND_POLICE', language: 'nl' });

  const cell = await person();
  await signIn(cell, 'monitoring');
  equal(new URL(cell.url()).pathname, '/monitoring.html', 'the monitoring cell lands on the report');
  // Two calls: a count from 1 to 4 is withheld, never shown.
  await until(async () => {
    await cell.click('#month-form button[type=submit]');
    await cell.locator('#key-figures').waitFor();
    return (await keyFigure(cell, 'monitoring.calls_total')) === 'masqué' || keyFigure(cell, 'monitoring.calls_total');
  }, 'two calls are withheld', 15000);

  for (let i = 0; i < 5; i++) await api(operator, 'POST', '/calls', { caller_kind: 'CALLER_KIND_CITIZEN', language: 'fr' });
  await until(async () => {
    await cell.click('#month-form button[type=submit]');
    await cell.locator('#key-figures').waitFor();
    return (await keyFigure(cell, 'monitoring.calls_total')) === '7' || keyFigure(cell, 'monitoring.calls_total');
  }, 'seven calls counted', 15000);
  check(await cell.locator('svg.chart').first().isVisible(), 'charts drawn');
  await shot(cell, 'monitoring');

  // Downloads of the month shown.
  const month = await cell.inputValue('#month');
  for (const [id, type] of [['#dl-csv', 'text/csv'], ['#dl-json', 'application/json'], ['#dl-html', 'text/html']]) {
    const href = await cell.getAttribute(id, 'href');
    check(href.includes(`/reports/${month}/export`), `${id} downloads this month`);
    const got = await cell.evaluate(async (h) => {
      const r = await fetch(h);
      return { status: r.status, type: r.headers.get('content-type') };
    }, href);
    equal(got.status, 200, `${id} answers`);
    check(got.type.startsWith(type), `${id} is ${type} (got ${got.type})`);
  }

  // The month picker: the month before.
  await cell.click('#month-prev');
  await until(async () => (await cell.inputValue('#month')) !== month, 'the month before');
  await until(async () => new URL(cell.url()).searchParams.get('month') === (await cell.inputValue('#month')), 'in the address');

  // Places now, live: a hold taken elsewhere shows at once.
  const before = Number(await cell.locator('#now tr[data-public="single_men"] td[data-col="free"]').innerText().then((s) => s.replace(/\D/g, '')));
  await api(operator, 'POST', '/holds', { pool_id: 'croix-rouge-ixelles:single_men', request_id: 'e2e-monitoring', kind: 'HOLD_KIND_STANDARD' });
  await until(async () => Number((await cell.locator('#now tr[data-public="single_men"] td[data-col="free"]').innerText()).replace(/\D/g, '')) === before - 1,
    'the places now follow live', 5000);
  noProblems(cell, 'monitoring');
});
