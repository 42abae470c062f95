// The language switch: French by default, Dutch and English on every page, remembered in the browser
// (after a reload, on another page, after signing in), and errors said in the chosen language.
import { check, equal, noProblems, person, ready, run, shot, signIn, until, url } from './lib.mjs';

const h1 = (page) => page.locator('h1').first().innerText();

await run('language', async () => {
  const page = await person();
  await page.goto(url('/directory.html'));
  await ready(page);
  equal(await page.getAttribute('html', 'lang'), 'fr', 'French by default');
  equal(await h1(page), 'Répertoire des services', 'French title');
  await until(async () => (await page.locator('#results li[data-shelter]').count()) > 0, 'results shown');

  await page.click('.lang button[data-lang="nl"]');
  await until(async () => (await h1(page)) === 'Gids van de diensten', 'Dutch title');
  equal(await page.getAttribute('html', 'lang'), 'nl', 'the document says Dutch');
  equal(await page.getAttribute('.lang button[data-lang="nl"]', 'aria-pressed'), 'true', 'the switch shows Dutch');
  check((await page.locator('#f-commune').innerText()).includes('Elsene'), 'commune names in Dutch');
  check((await page.locator('#results').innerText()).includes('Nachtopvang'), 'kinds of service in Dutch');
  await shot(page, 'directory-nl');

  await page.reload();
  await until(async () => (await h1(page)) === 'Gids van de diensten', 'still Dutch after a reload');
  await page.goto(url('/login.html'));
  await ready(page);
  equal(await h1(page), 'Aanmelden', 'Dutch on another page');

  // An error in the person's language.
  await page.fill('#username', 'nobody-here');
  await page.fill('#password', 'not the password at all');
  await page.click('#login button[type=submit]');
  await page.locator('#login-error').waitFor();
  equal(await page.locator('#login-error').innerText(), 'Account of wachtwoord onjuist.', 'error in Dutch');

  await signIn(page, 'operator');
  await until(async () => (await h1(page)) === 'Console van de permanentie', 'the console in Dutch after signing in');
  await page.click('.lang button[data-lang="en"]');
  await until(async () => (await h1(page)) === 'Hotline console', 'English');
  await until(async () => (await page.locator('#summary tbody').innerText()).includes('Single men'), 'board labels in English');
  check((await page.locator('#calls-h').innerText()) === 'Calls', 'panel titles in English');
  await shot(page, 'operator-en');

  await page.goto(url('/directory.html?lang=fr'));
  await until(async () => (await h1(page)) === 'Répertoire des services', '?lang=fr picks French');
  await page.goto(url('/operator.html'));
  await until(async () => (await h1(page)) === 'Console de la permanence', 'and remembers it');
  noProblems(page, 'language pages');
});
