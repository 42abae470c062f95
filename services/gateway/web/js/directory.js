// The public directory: every service of the region, searched by commune, kind of service and public,
// with pictograms beside the words, printable (print.css). No sign-in. A secret address (shelters for
// victims of violence) is never shown here, whoever looks: the page does not print it even when the
// API would give it to a signed-in professional.
import { get } from './api.js';
import { t, label, onChange } from './i18n.js';
import * as C from './codes.js';
import { $, boot, clear, el, options, sayError } from './ui.js';

await boot({ open: true });

const FILTERS = ['commune', 'kind', 'public', 'text'];
let shown = [];

function fillForms() {
  options($('#f-commune'), C.COMMUNES, (c) => label('commune', c), { blank: t('directory.any_commune') });
  options($('#f-kind'), C.SERVICE_KINDS, (c) => label('enum', c), { blank: t('directory.any_kind') });
  options($('#f-public'), C.PUBLICS, (c) => label('public', c), { blank: t('directory.any_public') });
}

function picto(name) {
  return el('img', { class: 'picto', src: `/img/${name}.svg`, alt: '', width: 24, height: 24 });
}

function kindPicto(kind) {
  const name = String(kind || 'SERVICE_KIND_OTHER').replace('SERVICE_KIND_', '').toLowerCase().replaceAll('_', '-');
  return picto(`kind-${C.SERVICE_KINDS.includes(kind) && kind !== 'SERVICE_KIND_UNSPECIFIED' ? name : 'other'}`);
}

const CONDITIONS = [
  ['pets_allowed', 'cond-pets'], ['wheelchair_accessible', 'cond-wheelchair'],
  ['low_threshold', 'cond-low-threshold'], ['consumption_tolerated', 'cond-consumption'],
];

function card(s) {
  const secret = s.secret_address || s.address_hidden;
  const a = s.address || {};
  const conditions = CONDITIONS.filter(([field]) => s.conditions && s.conditions[field]);
  return el('li', { class: 'card', dataset: { shelter: s.id } },
    el('h2', {}, s.name),
    el('p', { class: 'kind' }, kindPicto(s.kind), label('enum', s.kind), s.organisation ? ` · ${s.organisation}` : ''),
    secret
      ? el('p', { class: 'kind address-hidden' }, picto('address-hidden'), t('directory.address_secret', {
        commune: label('commune', s.commune) }))
      : el('p', { class: 'kind' }, picto('address'),
        [a.street, [a.postcode, a.city].filter(Boolean).join(' ')].filter(Boolean).join(', ') || label('commune', s.commune)),
    s.phone ? el('p', { class: 'kind' }, picto('phone'), el('a', { href: `tel:${s.phone.replace(/[^+\d]/g, '')}` }, s.phone)) : null,
    s.opening_hours ? el('p', { class: 'kind' }, picto('clock'), s.opening_hours) : null,
    s.languages.length ? el('p', { class: 'kind' }, picto('languages'), s.languages.map((l) => label('lang', l)).join(', ')) : null,
    s.publics.length ? el('p', {}, el('strong', {}, t('directory.for')), ' ', s.publics.map((p) => label('public', p)).join(', ')) : null,
    conditions.length ? el('ul', { class: 'conditions' }, conditions.map(([field, icon]) =>
      el('li', {}, picto(icon), t(`directory.cond.${field}`)))) : null,
    s.description ? el('p', { class: 'muted' }, s.description) : null);
}

function render() {
  $('#count').textContent = t('directory.count', { count: shown.length });
  const picked = FILTERS.map((f) => $(`#f-${f}`)).filter((x) => x.value)
    .map((x) => (x.tagName === 'SELECT' ? x.selectedOptions[0].textContent : x.value));
  $('#criteria').textContent = t('directory.printed', { criteria: picked.join(' · ') || t('common.all'),
    date: new Date().toLocaleDateString(document.documentElement.lang) });
  clear($('#results'), shown.length ? shown.map(card) : el('li', { class: 'empty' }, t('directory.nothing')));
}

async function search() {
  const params = {};
  for (const f of FILTERS) params[f] = $(`#f-${f}`).value.trim();
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v));
  history.replaceState(null, '', q.toString() ? `?${q}` : location.pathname);
  try {
    const { shelters } = await get('/shelters', params);
    shown = shelters.sort((a, b) => a.name.localeCompare(b.name));
    render();
  } catch (e) {
    sayError(e);
  }
}

fillForms();
const initial = new URLSearchParams(location.search);
for (const f of FILTERS) if (initial.get(f)) $(`#f-${f}`).value = initial.get(f);
$('#filters').addEventListener('submit', (e) => {
  e.preventDefault();
  search();
});
for (const f of ['commune', 'kind', 'public']) $(`#f-${f}`).addEventListener('change', search);
$('#print').addEventListener('click', () => window.print());
onChange(() => {
  fillForms();
  render();
});
await search();
