// Languages of the pages: French (default), Dutch, English. The choice is remembered in this browser
// (localStorage) and can be given once in the address (?lang=nl). Messages live in /i18n/<lang>.json,
// one flat key per message; "{name}" in a message is replaced by the value given for it.
// Static text carries data-i18n="key" (its text) or data-i18n-attr="placeholder=key;aria-label=key".
export const LANGUAGES = ['fr', 'nl', 'en'];
const STORAGE_KEY = 'relais.lang';

let current = 'fr';
let messages = {};
let fallback = {};
const listeners = new Set();

function stored() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;  // storage refused (private mode): the language lasts for this page only
  }
}

function remember(lang) {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* see stored() */
  }
}

async function load(lang) {
  const response = await fetch(`/i18n/${lang}.json`, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`messages ${lang}: ${response.status}`);
  return response.json();
}

export function language() {
  return current;
}

export function t(key, vars = {}) {
  let text = messages[key] ?? fallback[key];
  if (text === undefined) return key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

// A label for a code (an enum name, a public, a commune): the message `${prefix}.${code}` when there
// is one, else the code itself, so a new code on the server still shows something readable.
export function label(prefix, code) {
  if (code === undefined || code === null || code === '') return '';
  const key = `${prefix}.${code}`;
  const text = t(key);
  return text === key ? String(code) : text;
}

export function apply(root = document) {
  for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of node.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split('=').map((s) => s.trim());
      if (attr && key) node.setAttribute(attr, t(key));
    }
  }
  const title = document.querySelector('meta[name="relais-title"]');
  if (title) document.title = `${t(title.content)} · Relais`;
}

export function onChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export async function setLanguage(lang) {
  if (!LANGUAGES.includes(lang)) return;
  messages = await load(lang);
  current = lang;
  remember(lang);
  document.documentElement.lang = lang;
  apply();
  for (const fn of listeners) fn(lang);
}

// Called once per page before anything is shown.
export async function init() {
  const asked = new URLSearchParams(location.search).get('lang');
  const lang = LANGUAGES.includes(asked) ? asked : LANGUAGES.includes(stored()) ? stored() : 'fr';
  fallback = await load('fr');
  messages = lang === 'fr' ? fallback : await load(lang);
  current = lang;
  if (asked === lang) remember(lang);
  document.documentElement.lang = lang;
  apply();
}
