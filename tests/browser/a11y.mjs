// Accessibility audit of every page with axe-core (WCAG 2 A and AA rules: labels, names, contrast,
// landmarks, ARIA), in the day and the night theme, signed in as the role each page serves. Any
// violation of impact "serious" or "critical" fails the test and is listed.
import { createRequire } from 'node:module';
import { check, person, run, shot, signIn, until, url } from './lib.mjs';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const PAGES = [
  [null, '/'], [null, '/login.html'], [null, '/directory.html'],
  ['operator', '/operator.html'], ['shelter', '/shelter.html'], ['team', '/team.html'],
  ['admin', '/admin.html'], ['workshop', '/workshop.html'], ['monitoring', '/monitoring.html'],
];

async function audit(page, what) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${what}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.join(', ')}`);
}

await run('a11y', async () => {
  const problems = [];
  const seen = new Map();
  for (const [role, path] of PAGES) {
    let page = seen.get(role);
    if (!page) {
      page = await person({ bypassCSP: true });
      if (role) await signIn(page, role);
      seen.set(role, page);
    }
    await page.goto(url(path));
    await until(async () => (await page.locator('#app-header .lang').count()) === 1, `${path} has its header`);
    await page.waitForLoadState('networkidle').catch(() => {});
    await page.waitForTimeout(300);
    problems.push(...(await audit(page, `${path} (day)`)));
    await page.evaluate(() => { document.documentElement.dataset.theme = 'night'; });
    problems.push(...(await audit(page, `${path} (night)`)));
    await page.evaluate(() => { document.documentElement.dataset.theme = 'day'; });
  }
  // Control: the same audit finds a field without a label and pale text on a page made worse on purpose.
  const control = seen.get(null);
  await control.goto(url('/directory.html'));
  await control.evaluate(() => {
    const main = document.getElementById('main');
    main.append(Object.assign(document.createElement('input'), { type: 'text' }));
    const pale = Object.assign(document.createElement('p'), { textContent: 'pale text' });
    pale.style.color = '#d0d0d0';
    main.append(pale);
  });
  const found = (await audit(control, 'control')).join(' ');
  check(found.includes('label') && found.includes('color-contrast'), `the control is caught (got: ${found})`);

  if (problems.length) await shot([...seen.values()][0], 'a11y-failure');
  check(problems.length === 0, `accessibility:\n  ${problems.join('\n  ')}`);
  console.log(`a11y: ${PAGES.length} pages, day and night, no serious or critical violation`);
});
