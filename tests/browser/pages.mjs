// Every page opens for the roles it serves without a script error or a failed request, keyboard users
// can skip to the content, and a page says so (instead of failing) when it is not for the role.
import { check, equal, noProblems, person, run, shot, signIn, until, url } from './lib.mjs';

await run('pages', async () => {
  const team = await person({ width: 390, height: 844, mobile: true });
  await signIn(team, 'team');
  equal(new URL(team.url()).pathname, '/team.html', 'a team lands on its page');
  await until(async () => /\d+ sur \d+/.test(await team.locator('#quota').innerText()), 'the pass-night quota');
  await team.selectOption('#pn-public', 'single_men');
  await team.click('#pass-night button[type=submit]');
  await team.locator('#pn-held').waitFor();
  await until(async () => (await team.locator('#quota').innerText()).startsWith('1 sur'), 'the quota counts the hold');
  await shot(team, 'team-phone');
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

  const medical = await person();
  await signIn(medical, 'medical');
  equal(new URL(medical.url()).pathname, '/operator.html', 'the medical focal point uses the console');
  await until(async () => (await medical.locator('#board tbody tr').count()) > 0, 'the board for the medical role');
  await medical.keyboard.press('Tab');
  equal(await medical.evaluate(() => document.activeElement.className), 'skip', 'the first Tab offers to skip to the content');
  noProblems(medical, 'medical');

  const visitor = await person();
  await visitor.goto(url('/'));
  check(await visitor.locator('a[href="/directory.html"]').first().isVisible(), 'home links the directory');
  await visitor.goto(url('/shelter.html'));
  await visitor.waitForURL((u) => u.pathname === '/login.html');
  check(new URL(visitor.url()).searchParams.get('next') === '/shelter.html', 'signing in comes back to the page');
});
