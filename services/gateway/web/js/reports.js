// A street report as a list item with the buttons of its next states, shared by the operator console
// and the team page (a team sees only its own reports, and never the reporter's number: the API leaves
// it out for them).
import { post, seg } from './api.js';
import { t, label } from './i18n.js';
import * as C from './codes.js';
import { act, dateTime, el, options } from './ui.js';

export function reportItem(r, reload) {
  const next = C.STREET_NEXT[r.state] || [];
  const outcome = el('select', { 'aria-label': t('reports.outcome') });
  options(outcome, C.STREET_OUTCOMES, (c) => label('enum', c));
  const closing = next.includes('STREET_REPORT_STATE_CLOSED');
  return el('li', { dataset: { report: r.id } },
    el('div', {}, el('strong', {}, label('commune', r.commune)), r.address ? ` · ${r.address}` : '',
      ' · ', el('span', { class: 'muted' }, dateTime(r.created_at))),
    r.spot_description ? el('div', {}, r.spot_description) : null,
    el('div', { class: 'muted' }, [...r.seen, ...r.needs].map((c) => label('enum', c)).join(' · ')),
    el('div', { class: 'muted' }, label('enum', r.route), r.team ? ` · ${r.team}` : '',
      ' · ', label('enum', r.reporter_kind)),
    closing ? outcome : null,
    el('div', { class: 'row' }, next.map((s) => el('button', { type: 'button', class: 'secondary',
      onclick: async (e) => {
        const body = { state: s };
        if (s === 'STREET_REPORT_STATE_CLOSED') body.outcome = outcome.value;
        if (await act(e.currentTarget, () => post(`/street-reports/${seg(r.id)}/advance`, body))) await reload();
      } }, t(`reports.to.${s}`)))));
}

