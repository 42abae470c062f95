// The workshop page: a case referred by a partner appears in the queue with its 7-day deadline (live,
// while the page is open), the agenda of the next session is filled from the queue, and the case shows
// its facts in the person's language.
import { api, check, equal, noProblems, person, run, shot, signIn, until, url } from './lib.mjs';

async function refer(operator, urgency) {
  const { person: p } = await api(operator, 'POST', '/persons', { person: {
    age_band: 'AGE_BAND_46_64', gender: 'GENDER_WOMAN', household: { adults: 1, children: 0 },
    consent: { scope: 'CONSENT_SCOPE_ORIENTATION', expires_at: new Date(Date.now() + 30 * 864e5).toISOString() } } });
  const since = new Date(Date.now() - 60 * 864e5).toISOString();
  const { case: c } = await api(operator, 'POST', '/workshop/cases', {
    person_id: p.id, sending_service_id: 'brusshelp',
    facts: { domains: ['DOMAIN_HOUSING', 'DOMAIN_MENTAL_HEALTH'], situation: 'SITUATION_STREET', situation_since: since,
      urgency, referent: 'e2e-operator' },
    consent: { given: true, given_at: new Date(Date.now() - 3600e3).toISOString() } });
  return c;
}

await run('workshop', async () => {
  const operator = await person();
  await signIn(operator, 'operator');
  const first = await refer(operator, 'URGENCY_MEDIUM');
  equal(first.state, 'CASE_STATE_WAITING', 'a complete referral waits for an agenda');

  const cell = await person();
  await signIn(cell, 'workshop');
  equal(new URL(cell.url()).pathname, '/workshop.html', 'the workshop lands on its page');
  const item = (id) => cell.locator(`#cases li[data-case="${id}"]`);
  await item(first.id).waitFor();
  check((await item(first.id).innerText()).includes('délai'), 'the queue shows the deadline');
  await until(async () => (await cell.getAttribute('.live-status', 'data-state')) === 'live', 'workshop live');

  // A second referral arrives while the page is open: the queue shows it without a reload.
  const second = await refer(operator, 'URGENCY_HIGH');
  await until(async () => (await item(second.id).count()) === 1, 'the new case appears live', 5000);

  await cell.click('#build-agenda');
  await until(async () => (await cell.locator('#agenda li[data-case]').count()) === 2, 'both cases on the agenda');
  equal(await cell.locator('#agenda li[data-case]').first().getAttribute('data-case'), second.id,
    'the urgent case comes first');
  await cell.locator(`#agenda li[data-case="${first.id}"] button`, { hasText: 'Ouvrir' }).click();
  await until(async () => (await cell.locator('#case').innerText()).includes('En rue'), 'the case shows its facts');
  check((await cell.locator('#case').innerText()).includes('Logement'), 'domains in words');
  await shot(cell, 'workshop');
  noProblems(cell, 'workshop');
});
