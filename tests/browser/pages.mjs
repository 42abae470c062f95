// Every page opens for the roles it serves without a script error or a failed request, keyboard users
// can skip to the content, and a page says so (instead of failing) when it is not for the role.
import { api, check, equal, noProblems, person, ready, run, shot, signIn, until, url } from './lib.mjs';

await run('pages', async () => {
  const team = await person({ width: 390, height: 844, mobile: true });
  await signIn(team, 'team');
  equal(new URL(team.url()).pathname, '/team.html', 'a team lands on its page');
  await until(async () => /\d+ sur \d+/.test(await team.locator('#quota').innerText()), 'the pass-night quota');
  await team.selectOption('#pn-public', 'single_men');
  await team.click('#pass-night button[type=submit]');
  await team.locator('#pn-held').waitFor();
  await until(async () => (await team.locator('#quota').innerText()).startsWith('1 sur'), 'the quota counts the hold');
  await until(async () => (await team.getAttribute('.live-status', 'data-state')) === 'live', 'team live');

  // A street report taken by the hotline reaches the maraude's phone live; the team moves it to closed.
  const medical = await person();
  await signIn(medical, 'medical');
  const { report } = await api(medical, 'POST', '/street-reports', { report: {
    reporter_kind: 'REPORTER_KIND_PUBLIC_TRANSPORT', commune: 'ixelles', address: 'Gare du Luxembourg',
    spot_description: 'Quai 1, near the lift', seen: ['OBSERVATION_SLEEPING_OUTSIDE', 'OBSERVATION_COLD_EXPOSURE'],
    needs: ['STREET_NEED_HELP'], reporter_wants_outcome: true, reporter_contact: '+32 2 555 00 00' } });
  equal(report.team, 'maraude-samusocial', 'routed to the maraude');
  const item = team.locator(`li[data-report="${report.id}"]`);
  await until(async () => (await item.count()) === 1, 'the report reaches the team live', 5000);
  check(!(await team.content()).includes('555 00 00'), 'the team never sees the reporter\'s number');
  await shot(team, 'team-phone');
  for (const step of ['Prendre en charge', 'En route', 'Personne trouvée']) {
    await item.locator('button', { hasText: step }).click();
    await until(async () => !(await item.locator('button', { hasText: step }).count()), `after ${step}`);
  }
  await item.locator('select').selectOption('STREET_OUTCOME_TRANSPORTED_TO_SHELTER');
  await item.locator('button', { hasText: 'Clôturer' }).click();
  await until(async () => (await team.locator(`li[data-report="${report.id}"]`).count()) === 0, 'closed reports leave the list');

  // The reporter wanted the outcome: the console's call-back list now has the number, until called back.
  await medical.goto(url('/operator.html'));
  await until(async () => (await medical.locator('#callbacks').innerText()).includes('+32 2 555 00 00'), 'call-back listed');
  await medical.locator('#callbacks li', { hasText: '555 00 00' }).locator('button', { hasText: 'Joint·e' }).click();
  await until(async () => !(await medical.locator('#callbacks').innerText()).includes('555 00 00'), 'the number is gone once called back');

  // A crisis opens buffer places: every console shows the banner, live.
  await until(async () => (await medical.getAttribute('.live-status', 'data-state')) === 'live', 'console live');
  const adminApi = await person();
  await signIn(adminApi, 'admin');
  await api(adminApi, 'POST', '/crises', { reason: 'CRISIS_REASON_COLD', mode: 'CRISIS_MODE_24H' });
  await until(async () => (await medical.locator('#crisis').isVisible()), 'the crisis banner appears live', 5000);
  check((await medical.locator('#crisis').innerText()).includes('Grand froid'), 'the banner says why');
  await shot(medical, 'operator-crisis');
  await team.goto(url('/operator.html'));
  await until(async () => (await team.locator('h1').innerText()).includes('pas prévue'), 'the console is not for a team');
  noProblems(team, 'team');

  const admin = await person();
  await signIn(admin, 'admin');
  equal(new URL(admin.url()).pathname, '/admin.html', 'admin lands on administration');
  await until(async () => (await admin.locator('#users tbody tr').count()) >= 8, 'the accounts are listed');
  await admin.fill('#k-name', 'PMS test');
  await admin.selectOption('#k-role', 'shelter');
  await admin.fill('#k-shelters', 'croix-rouge-ixelles');
  await admin.click('#key-form button[type=submit]');
  await until(async () => (await admin.locator('#key-secret .secret').count()) === 1, 'the key secret shown once');
  check((await admin.locator('#key-secret .secret').innerText()).startsWith('rk_'), 'an API key secret');
  await shot(admin, 'admin');
  await admin.goto(url('/shelter.html'));
  await until(async () => (await admin.locator('article[data-pool]').count()) > 0, 'admin acts for a shelter');
  noProblems(admin, 'admin');

  equal(new URL(medical.url()).pathname, '/operator.html', 'the medical focal point uses the console');
  await medical.goto(url('/operator.html'));
  await until(async () => (await medical.locator('#board tbody tr').count()) > 0, 'the board for the medical role');
  await medical.keyboard.press('Tab');
  equal(await medical.evaluate(() => document.activeElement.className), 'skip', 'the first Tab offers to skip to the content');
  noProblems(medical, 'medical');

  // A call waiting past the 10-minute target is flagged in words and colour as its time grows (the
  // page's clock is moved on; the server's own flag is tested in the dispatch service's tests).
  const night = await person();
  await night.clock.install();
  await signIn(night, 'operator2');
  await api(night, 'POST', '/calls', { caller_kind: 'CALLER_KIND_HOSPITAL', language: 'en' });
  const call = night.locator('#calls li[data-call]');
  await until(async () => (await call.count()) === 1, 'the call waits');
  check(!(await call.getAttribute('class')).includes('breach'), 'not flagged before 10 minutes');
  // Let the page settle first: a list read again after the jump would start from the server's real
  // waiting time (a few seconds), which is right, but not what this check is about.
  await night.waitForTimeout(1500);
  await night.clock.fastForward('10:05');
  await until(async () => (await call.getAttribute('class')).includes('breach') &&
    (await call.innerText()).includes('plus de 10 min'), 'flagged after 10 minutes, in words');
  equal(await night.locator('#calls-breach').innerText(), '1 appel(s) au-delà de 10 min', 'counted in the header');
  await shot(night, 'operator-call-breach');

  const visitor = await person();
  await visitor.goto(url('/'));
  await ready(visitor);
  check(await visitor.locator('a[href="/directory.html"]').first().isVisible(), 'home links the directory');
  await visitor.goto(url('/shelter.html'));
  await visitor.waitForURL((u) => u.pathname === '/login.html');
  check(new URL(visitor.url()).searchParams.get('next') === '/shelter.html', 'signing in comes back to the page');
});
