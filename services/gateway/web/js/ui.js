// What every page shares: building elements without HTML strings (text from the server is never
// parsed as HTML), the page header (pages of the role, language switch, sign out, live status), the
// message area read out by screen readers, and dates and durations in the person's language.
import * as i18n from './i18n.js';
import { ApiError, HOME, session as readSession, signOut } from './api.js';

const { t } = i18n;

// el('button', {class: 'x', onclick: fn, 'aria-label': '...'}, 'text', otherNode, [more, nodes])
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (value === true) node.setAttribute(name, '');
    else node.setAttribute(name, String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

export const $ = (selector, root = document) => root.querySelector(selector);

// <select> of codes with their labels; `blank` adds an empty first choice.
export function options(select, codes, labelOf, { blank = null, selected = '' } = {}) {
  const keep = select.value || selected;
  clear(select);
  if (blank !== null) select.append(el('option', { value: '' }, blank));
  for (const code of codes) select.append(el('option', { value: code }, labelOf(code)));
  if (keep) select.value = keep;
}

// ---- messages to the person (a polite live region; errors as alerts) ----
let messageArea = null;

export function say(text, kind = 'info') {
  if (!messageArea) return;
  const item = el('p', { class: `message message-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text,
    el('button', { type: 'button', class: 'link', 'aria-label': t('common.dismiss'),
      onclick: () => item.remove() }, '×'));
  messageArea.prepend(item);
  while (messageArea.children.length > 4) messageArea.lastElementChild.remove();
  if (kind !== 'error') setTimeout(() => item.remove(), 8000);
}

export function sayError(e) {
  say(e instanceof ApiError ? e.text() : t('error.page'), 'error');
}

// Runs an action of a button: disabled while it runs (no double clicks), errors said to the person.
export async function act(button, fn) {
  if (button) button.disabled = true;
  try {
    return await fn();
  } catch (e) {
    sayError(e);
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}

// ---- times ----
export function time(ts) {
  if (!ts) return '';
  return new Date(ts).toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit' });
}

export function dateTime(ts) {
  if (!ts) return '';
  return new Date(ts).toLocaleString(locale(), { dateStyle: 'short', timeStyle: 'short' });
}

export function date(ts) {
  if (!ts) return '';
  return new Date(ts).toLocaleDateString(locale(), { dateStyle: 'medium' });
}

export function duration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')}` : `${m}:${rest}`;
}

export function locale() {
  return { fr: 'fr-BE', nl: 'nl-BE', en: 'en-GB' }[i18n.language()] || 'fr-BE';
}

export const num = (n) => Number(n || 0).toLocaleString(locale());

// The last characters of a hold id: what the operator tells the person and the shelter reads back.
export const holdRef = (holdId) => String(holdId).slice(-6).toUpperCase();

// ---- the header ----
const PAGES = [
  { href: '/operator.html', key: 'nav.operator', roles: ['operator', 'medical', 'admin'] },
  { href: '/shelter.html', key: 'nav.shelter', roles: ['shelter', 'admin'] },
  { href: '/team.html', key: 'nav.team', roles: ['team'] },
  { href: '/workshop.html', key: 'nav.workshop', roles: ['workshop', 'admin'] },
  { href: '/monitoring.html', key: 'nav.monitoring', roles: ['monitoring', 'admin'] },
  { href: '/admin.html', key: 'nav.admin', roles: ['admin'] },
  { href: '/directory.html', key: 'nav.directory', roles: null },
];

// session: the signed-in account (or null on public pages). Returns the live status element.
export function header(session) {
  const role = session ? session.account.role : null;
  const nav = el('nav', { 'aria-label': t('nav.label') });
  const list = el('ul');
  for (const page of PAGES) {
    if (page.roles && !page.roles.includes(role)) continue;
    const current = location.pathname === page.href;
    list.append(el('li', {}, el('a', { href: page.href, 'aria-current': current ? 'page' : null,
      'data-i18n': page.key }, t(page.key))));
  }
  nav.append(list);

  const switcher = el('div', { class: 'lang', role: 'group', 'aria-label': t('lang.label'),
    'data-i18n-attr': 'aria-label=lang.label' });
  for (const lang of i18n.LANGUAGES) {
    const button = el('button', { type: 'button', lang, 'aria-pressed': String(lang === i18n.language()),
      'data-lang': lang, title: t(`lang.${lang}`) }, lang.toUpperCase());
    button.addEventListener('click', async () => {
      await i18n.setLanguage(lang);
      for (const b of switcher.querySelectorAll('button')) {
        b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
      }
    });
    switcher.append(button);
  }

  const night = el('button', { type: 'button', class: 'secondary', 'aria-pressed': String(theme() === 'night'),
    'data-i18n': 'nav.night' }, t('nav.night'));
  night.addEventListener('click', () => {
    setTheme(theme() === 'night' ? 'day' : 'night');
    night.setAttribute('aria-pressed', String(theme() === 'night'));
  });

  const status = el('span', { class: 'live-status', role: 'status', hidden: true });
  const who = el('div', { class: 'who' });
  if (session) {
    const out = el('button', { type: 'button', class: 'secondary', 'data-i18n': 'nav.signout' }, t('nav.signout'));
    out.addEventListener('click', async () => {
      await act(out, signOut);
      location.assign('/login.html');
    });
    who.append(el('span', { class: 'account' }, session.account.username, ' · ',
      el('span', { 'data-i18n': `role.${role}` }, t(`role.${role}`))), status, out);
  } else {
    who.append(el('a', { href: '/login.html', 'data-i18n': 'nav.signin' }, t('nav.signin')));
  }

  const bar = document.getElementById('app-header');
  clear(bar,
    el('a', { class: 'skip', href: '#main', 'data-i18n': 'nav.skip' }, t('nav.skip')),
    el('div', { class: 'brand' }, el('a', { href: session ? HOME[role] || '/' : '/' }, 'Relais')),
    nav, switcher, night, who);
  messageArea = el('div', { class: 'messages', 'aria-live': 'polite' });
  bar.after(messageArea);
  return status;
}

export function liveStatus(node, state) {
  node.hidden = false;
  node.dataset.state = state;
  node.textContent = t(`live.${state}`);
}

// A page for roles it does not serve says so instead of failing on every call.
export function refuse(main, session) {
  clear(main, el('h1', {}, t('common.not_for_role')),
    el('p', {}, el('a', { href: HOME[session.account.role] || '/' }, t('common.go_home'))));
}

// ---- night theme (dark screen for night shifts), remembered like the language ----
function theme() {
  return document.documentElement.dataset.theme || 'day';
}

function setTheme(name) {
  document.documentElement.dataset.theme = name;
  try {
    localStorage.setItem('relais.theme', name);
  } catch {
    /* not remembered */
  }
}

function restoreTheme() {
  let name = null;
  try {
    name = localStorage.getItem('relais.theme');
  } catch {
    name = null;
  }
  if (!name && window.matchMedia && matchMedia('(prefers-color-scheme: dark)').matches) name = 'night';
  document.documentElement.dataset.theme = name === 'night' ? 'night' : 'day';
}

// Every page starts here: language, theme, who is signed in (public pages need nobody), the header.
// Returns { session, status } or null when the page is not for this role (it then says so).
// The page stays hidden (style.css) until its words are in the person's language, so nobody reads or
// types into a half-started page; whatever goes wrong, it is shown in the end, never left blank.
export async function boot({ roles = null, open = false } = {}) {
  restoreTheme();
  try {
    await i18n.init();
    const session = await readSession({ required: !open });
    if (!open && !session) return null;
    const status = header(session);
    if (roles && !roles.includes(session.account.role)) {
      refuse(document.getElementById('main'), session);
      return null;
    }
    return { session, status };
  } finally {
    document.documentElement.dataset.ready = 'true';
  }
}
