// An operator takes a call and dispatches a person; the shelter page sees the hold and confirms the
// arrival; the bed board of a second operator's page follows every step live (no reload), with the
// exact figures of the pool the person was sent to.
import fs from 'node:fs';
import { boardRow, check, equal, noProblems, person, run, shot, signIn, until, url, world } from './lib.mjs';

const POOL = 'croix-rouge-ixelles:single_men';

await run('dispatch', async () => {
  // The pool's figures in the demo data: nothing else touches it in this test's private Relais.
  const demo = JSON.parse(fs.readFileSync(world.demo_file, 'utf8'));
  const declared = demo.pools.find((p) => `${p.shelterId}:${p.public}` === POOL).figures;
  const start = { free: declared.placesInService - declared.occupied, holds: 0, occupied: declared.occupied,
    places: declared.placesInService };

  const watcher = await person();
  await signIn(watcher, 'operator2');
  await watcher.goto(url('/operator.html'));
  await until(async () => (await boardRow(watcher, POOL)) !== null, 'the second operator sees the board');
  equal(JSON.stringify(await boardRow(watcher, POOL)), JSON.stringify(start), 'board before the call');
  await watcher.evaluate(() => { window.notReloaded = true; });
  await until(async () => (await watcher.getAttribute('.live-status', 'data-state')) === 'live', 'watcher live');

  const desk = await person({ width: 390, height: 844, mobile: true });
  await signIn(desk, 'shelter');
  equal(new URL(desk.url()).pathname, '/shelter.html', 'a shelter account lands on its page');
  await until(async () => (await desk.locator('[data-col="free"]').count()) > 0, 'the shelter sees its pools');
  equal(await desk.locator('li[data-hold]').count(), 0, 'no arrival expected before the call');
  await until(async () => (await desk.getAttribute('.live-status', 'data-state')) === 'live', 'shelter live');

  const operator = await person();
  await signIn(operator, 'operator');
  equal(new URL(operator.url()).pathname, '/operator.html', 'an operator lands on the console');

  // The call rings, waits, is answered.
  await operator.selectOption('#call-kind', 'CALLER_KIND_PERSON');
  await operator.selectOption('#call-lang', 'fr');
  await operator.click('#new-call button[type=submit]');
  const waiting = operator.locator('#calls li[data-call]');
  await until(async () => (await waiting.count()) === 1, 'the call waits');
  check(/attend depuis \d+:\d\d/.test(await waiting.innerText()), 'waiting time shown (French by default)');
  await waiting.locator('button', { hasText: 'Répondre' }).click();
  await until(async () => operator.locator('#current-call').isVisible(), 'call in progress');
  await until(async () => (await waiting.count()) === 0, 'the answered call left the waiting list');

  // The person and their needs; a request; candidates ranked with their explanation.
  await operator.selectOption('#p-age', 'AGE_BAND_26_45');
  await operator.selectOption('#p-gender', 'GENDER_MAN');
  await operator.check('#p-languages input[value="fr"]');
  await operator.selectOption('#p-communes', ['ixelles']);
  await operator.click('#person-save');
  const candidate = operator.locator(`#candidates li[data-pool="${POOL}"]`);
  await candidate.waitFor();

  // A first proposal elsewhere is refused, with a reason: recorded, and the request keeps its place.
  const other = operator.locator(`#candidates li[data-pool]:not([data-pool="${POOL}"])`).first();
  await other.locator('button.propose').click();
  await operator.selectOption('#refusal-reason', 'REFUSAL_REASON_TOO_FAR');
  await operator.click('#refuse');
  await until(async () => (await operator.locator('#proposal').innerText()).includes('Refus enregistré (Trop loin)'),
    'the refusal is recorded with its reason');
  check((await operator.locator('#person-summary').innerText()).includes('1 refus (jamais retenu contre la personne)'),
    'the refusal is counted, never held against the person');
  check((await operator.locator('#person-summary').innerText()).includes('position 1'), 'still first in its lane');
  check((await candidate.innerText()).includes('dans une commune préférée : +10'), 'the candidate explains its rank, in French');
  await candidate.locator('button.propose').click();
  await operator.locator('#accept').click();
  await operator.locator('#held').waitFor();
  check((await operator.locator('#held').innerText()).includes('Croix-Rouge'), 'the hold names the shelter');
  await shot(operator, 'operator-dispatch');

  // The second operator's board: one place less free, one held, without reloading.
  const held = { ...start, free: start.free - 1, holds: 1 };
  await until(async () => JSON.stringify(await boardRow(watcher, POOL)) === JSON.stringify(held) ||
    JSON.stringify(await boardRow(watcher, POOL)), 'live board after the hold', 5000);
  check(await watcher.evaluate(() => window.notReloaded === true), 'the board updated without a reload');
  await shot(watcher, 'operator-board-live');

  // The shelter sees the hold (live) and confirms the arrival.
  const hold = desk.locator('li[data-hold]');
  await until(async () => (await hold.count()) === 1, 'the shelter sees the hold', 5000);
  check((await hold.innerText()).includes('Hommes seuls'), 'the hold says for which public');
  await shot(desk, 'shelter-hold');
  await hold.locator('button.arrived').click();
  await until(async () => (await desk.locator('li[data-hold]').count()) === 0, 'the hold left the list');
  const card = desk.locator(`article[data-pool="${POOL}"]`);
  await until(async () => (await card.locator('[data-col="occupied"]').innerText()) === String(start.occupied + 1),
    'the shelter sees one more occupied place');
  await shot(desk, 'shelter-arrived');

  const arrived = { ...start, free: start.free - 1, holds: 0, occupied: start.occupied + 1 };
  await until(async () => JSON.stringify(await boardRow(watcher, POOL)) === JSON.stringify(arrived) ||
    JSON.stringify(await boardRow(watcher, POOL)), 'live board after the arrival', 5000);
  await until(async () => JSON.stringify(await boardRow(operator, POOL)) === JSON.stringify(arrived) ||
    JSON.stringify(await boardRow(operator, POOL)), 'the dispatching operator\'s board too', 5000);
  check(await watcher.evaluate(() => window.notReloaded === true), 'still no reload');
  await shot(watcher, 'operator-board-after-arrival');

  // The call ends with its outcome, chosen for the operator once the place was held.
  equal(await operator.inputValue('#call-outcome'), 'CALL_OUTCOME_PLACE_DISPATCHED', 'outcome preselected');
  await operator.click('#end-call');
  await until(async () => !(await operator.locator('#current-call').isVisible()), 'the call ended');

  for (const [page, who] of [[operator, 'operator'], [watcher, 'second operator'], [desk, 'shelter']]) {
    noProblems(page, who);
  }
});
