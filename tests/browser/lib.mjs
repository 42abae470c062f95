// What every browser test shares: Debian's headless Chromium driven by playwright-core (never a browser
// downloaded by Playwright), one fresh profile folder per person so that each has their own cookies,
// sign-in through the real sign-in page, screenshots kept under tests/artifacts/, and checks that fail
// the test with a message. The world (relais, Redis, demo data, accounts) is made by
// tests/e2e/browser_test.cc, which passes it in a JSON file: node <scenario>.mjs <world.json>.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const world = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const profiles = [];
const contexts = [];

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// A person at their own browser. Page errors and failed requests are collected: a test may assert none.
export async function person({ width = 1400, height = 1000, mobile = false, bypassCSP = false } = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'relais-browser-'));
  profiles.push(profile);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: world.chromium || '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    viewport: { width, height },
    isMobile: mobile,
    hasTouch: mobile,
    deviceScaleFactor: 1,
    bypassCSP,  // only for the accessibility audit, whose checker is injected into the page
    timeout: 60000,
  });
  contexts.push(context);
  const page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(15000);
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 401/.test(m.text())) page.problems.push(`console: ${m.text()}`);
  });
  return page;
}

export const url = (p) => world.base_url + p;

// A call to the REST API from inside a signed-in page, as its scripts make it (cookie, CSRF token, an
// idempotency key for a change): how a test prepares what another person then sees on their page.
export async function api(page, method, path, body) {
  return page.evaluate(async ({ method, path, body }) => {
    const session = await (await fetch('/api/v1/auth/session')).json();
    const headers = { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token };
    if (method !== 'GET') headers['Idempotency-Key'] = `test-${crypto.randomUUID()}`;
    const response = await fetch(`/api/v1${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
    const json = await response.json();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  }, { method, path, body });
}

// Waits until the page has started (ui.js boot(): its words in the chosen language, its handlers in
// place), as a person waits until the page shows; reading it earlier reads the untranslated template.
export async function ready(page) {
  await page.locator('html[data-ready]').waitFor({ state: 'attached' });
}

export async function signIn(page, role) {
  const account = world.accounts[role];
  if (!account) throw new Error(`no demo account for ${role}`);
  await page.goto(url('/login.html'));
  await ready(page);
  await page.fill('#username', account.username);
  await page.fill('#password', account.password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('#login button[type=submit]')]);
}

export async function shot(page, name) {
  fs.mkdirSync(world.artifacts, { recursive: true });
  const file = path.join(world.artifacts, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`screenshot: ${file}`);
}

export function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

export function equal(actual, expected, message) {
  if (actual !== expected) {
    throw new Error(`check failed: ${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

export function noProblems(page, what) {
  check(page.problems.length === 0, `${what}: ${page.problems.join(' | ')}`);
}

// Waits until fn() (run in the test) returns true, polling; fails with the last value seen.
export async function until(fn, message, timeoutMs = 10000) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn();
    if (last === true) return;
    if (Date.now() > end) throw new Error(`timed out: ${message} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The figures of one row of a bed board (operator page): {free, holds, occupied, places} as numbers.
export async function boardRow(page, poolId) {
  const row = page.locator(`#board tr[data-pool="${poolId}"]`);
  if ((await row.count()) === 0) return null;
  const cell = async (col) => Number((await row.locator(`td[data-col="${col}"]`).innerText()).replace(/\D/g, ''));
  return { free: await cell('free'), holds: await cell('holds'), occupied: await cell('occupied'), places: await cell('places') };
}

export async function run(name, scenario) {
  const started = Date.now();
  let failed = null;
  try {
    await scenario();
  } catch (e) {
    failed = e;
  }
  if (failed) {
    // What each person saw when it failed.
    let n = 0;
    for (const c of contexts) {
      for (const p of c.pages()) await shot(p, `${name}-failure-${++n}`).catch(() => {});
    }
  }
  for (const c of contexts) await c.close().catch(() => {});
  for (const p of profiles) fs.rmSync(p, { recursive: true, force: true });
  if (failed) {
    console.error(`FAILED ${name}: ${failed.stack || failed}`);
    process.exit(1);
  }
  console.log(`passed ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
