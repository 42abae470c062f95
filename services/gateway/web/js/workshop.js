// The préconisation workshop (the orientation cell, and admin): the cases by deadline with the ones
// near or past their 7-day deadline flagged, the agenda of the next session (filled from the queue,
// reordered with a reason, closed), and a case: its facts, the préconisation and accompaniment plan
// agreed in session, and each party's approval. Categories only, except the plan's goals, which the
// workshop writes and reads.
import { get, post, seg } from './api.js';
import { t, label, onChange } from './i18n.js';
import { connectLive } from './live.js';
import * as C from './codes.js';
import { $, act, boot, clear, date, dateTime, el, liveStatus, options, say } from './ui.js';

const page = await boot({ roles: ['workshop', 'admin'] });
if (page) start(page);

function start({ status }) {
  let session = null;
  let current = null;     // the case shown
  let services = [];      // the directory, for receiving services

  const short = (id) => `${id.slice(0, 1)}…${id.slice(-6)}`;

  function deadlineBadge(c) {
    if (c.overdue) return el('span', { class: 'badge bad' }, t('workshop.overdue'));
    if (c.near_deadline) return el('span', { class: 'badge warn' }, t('workshop.near'));
    if (c.deadline_outcome === 'DEADLINE_OUTCOME_MET') return el('span', { class: 'badge ok' }, t('workshop.met'));
    if (c.deadline_outcome === 'DEADLINE_OUTCOME_MISSED') return el('span', { class: 'badge bad' }, t('workshop.missed'));
    return null;
  }

  async function loadSummary() {
    const s = await get('/workshop/summary');
    clear($('#ws-summary'), ['incomplete', 'waiting', 'scheduled', 'preconised', 'approved'].map((k) =>
      el('span', { class: 'badge' }, `${t(`workshop.state.${k}`)} : ${s[k]}`)),
    el('span', { class: 'badge bad' }, t('workshop.overdue_count', { count: s.overdue })),
    el('span', { class: 'badge warn' }, t('workshop.near_count', { count: s.near_deadline })),
    el('span', { class: 'badge ok' }, t('workshop.priority_places', { used: s.priority_places_used, places: s.priority_places })));
  }

  async function loadCases() {
    const answer = await get('/workshop/cases', { overdue_only: $('#overdue-only').checked, limit: 200 });
    $('#ws-counts').textContent = t('workshop.counts', { overdue: answer.overdue, near: answer.near_deadline });
    const open = answer.cases.filter((c) => c.state !== 'CASE_STATE_APPROVED');
    const list = $('#cases');
    if (open.length === 0) return clear(list, el('li', { class: 'empty' }, t('workshop.no_case')));
    clear(list, open.map((c) => el('li', { class: c.overdue ? 'breach' : c.near_deadline ? 'near' : '', dataset: { case: c.id } },
      el('div', { class: 'row' }, el('strong', {}, short(c.id)), el('span', {}, label('enum', c.state)), deadlineBadge(c)),
      el('div', {}, t('workshop.deadline', { date: dateTime(c.deadline) }), ' · ', label('enum', c.facts.urgency)),
      el('div', { class: 'muted' }, c.facts.domains.map((d) => label('enum', d)).join(', ')),
      c.missing.length ? el('div', { class: 'muted' }, t('workshop.missing', { what: c.missing.join(', ') })) : null,
      el('button', { type: 'button', class: 'secondary', onclick: () => openCase(c.id) }, t('workshop.open')))));
  }

  async function loadSession() {
    ({ session } = await get('/workshop/sessions/next'));
    $('#session-what').textContent = t('workshop.session', { date: dateTime(session.starts_at),
      count: session.agenda.length, capacity: session.capacity, state: label('enum', session.state) });
    const list = $('#agenda');
    if (session.agenda.length === 0) clear(list, el('li', { class: 'empty' }, t('workshop.agenda_empty')));
    else {
      clear(list, session.agenda.map((item) => el('li', { dataset: { case: item.case_id } },
        el('div', { class: 'row' }, el('strong', {}, `${item.position}.`), el('span', {}, short(item.case_id)),
          el('span', {}, label('enum', item.urgency)), el('span', {}, t('workshop.deadline', { date: dateTime(item.deadline) }))),
        el('div', { class: 'muted' },
          item.person_invited ? t('workshop.person_invited') : '', item.referent ? ` · ${t('workshop.referent', { who: item.referent })}` : ''),
        el('div', { class: 'row no-print' },
          el('button', { type: 'button', class: 'secondary', disabled: item.position === 1,
            'aria-label': t('workshop.move_up', { position: item.position }),
            onclick: (e) => reorder(e.currentTarget, item, item.position - 1) }, '↑'),
          el('button', { type: 'button', class: 'secondary', disabled: item.position === session.agenda.length,
            'aria-label': t('workshop.move_down', { position: item.position }),
            onclick: (e) => reorder(e.currentTarget, item, item.position + 1) }, '↓'),
          el('button', { type: 'button', class: 'secondary', onclick: () => openCase(item.case_id) }, t('workshop.open'))))));
    }
    clear($('#members'), session.members.length ? session.members.map((m) => el('li', {},
      `${m.service_id} · ${label('enum', m.role)}${m.expertise && m.expertise !== 'DOMAIN_UNSPECIFIED' ? ` (${label('enum', m.expertise)})` : ''}`))
      : el('li', { class: 'empty' }, t('workshop.no_member')));
  }

  async function reorder(button, item, position) {
    const answer = await act(button, () => post(`/workshop/sessions/${seg(session.id)}/agenda/reorder`,
      { case_id: item.case_id, position, reason: $('#reorder-reason').value }));
    if (answer) await loadSession();
  }

  $('#build-agenda').addEventListener('click', async (e) => {
    const answer = await act(e.currentTarget, () => post('/workshop/sessions/next/agenda'));
    if (answer) {
      say(t('workshop.agenda_built', { added: answer.added, waiting: answer.waiting }), 'ok');
      await loadAll();
    }
  });

  $('#close-session').addEventListener('click', async (e) => {
    if (!window.confirm(t('workshop.confirm_close'))) return;
    const answer = await act(e.currentTarget, () => post(`/workshop/sessions/${seg(session.id)}/close`));
    if (answer) await loadAll();
  });

  $('#overdue-only').addEventListener('change', () => loadCases().catch(() => {}));

  // ---------- one case ----------
  async function openCase(id) {
    const answer = await act(null, () => get(`/workshop/cases/${seg(id)}`));
    if (!answer) return;
    current = answer.case;
    renderCase();
    $('#case-h').focus();
  }

  function field(name, value) {
    return value ? el('div', {}, el('strong', {}, `${t(name)} `), value) : null;
  }

  function renderCase() {
    const c = current;
    $('#case-empty').hidden = true;
    const box = $('#case');
    box.hidden = false;
    const f = c.facts;
    clear(box,
      el('h3', {}, short(c.id), ' ', deadlineBadge(c)),
      field('workshop.state_label', label('enum', c.state)),
      field('workshop.deadline_label', dateTime(c.deadline)),
      field('workshop.situation', `${label('enum', f.situation)}${f.situation_since ? ` ${t('workshop.since', { date: date(f.situation_since) })}` : ''}`),
      field('workshop.domains', f.domains.map((d) => label('enum', d)).join(', ')),
      field('workshop.urgency', label('enum', f.urgency)),
      field('workshop.sending', c.direct ? t('workshop.direct') : c.sending_service_id),
      field('workshop.referent_label', f.referent),
      field('workshop.consent', c.consent.given ? t('workshop.consent_given', { date: date(c.consent.given_at) }) : t('common.no')),
      c.missing.length ? field('workshop.missing_label', c.missing.join(', ')) : null,
      c.plan && c.plan.number ? planView(c) : null,
      c.state === 'CASE_STATE_SCHEDULED' ? preconiseForm(c) : null,
      c.state === 'CASE_STATE_APPROVED' && c.preconisation.receiving_service_id && !c.priority_place_service_id
        ? el('button', { type: 'button', onclick: async (e) => {
          if (await act(e.currentTarget, () => post(`/workshop/cases/${seg(c.id)}/priority-place`))) await openCase(c.id);
        } }, t('workshop.take_priority_place')) : null,
      c.priority_place_service_id ? field('workshop.priority_place', c.priority_place_service_id) : null);
  }

  function planView(c) {
    const p = c.plan;
    const answers = new Map(p.approvals.map((a) => [a.party, a]));
    const reason = el('select', { 'aria-label': t('workshop.refusal_reason') });
    options(reason, C.PLAN_REFUSAL_REASONS, (r) => label('enum', r));
    return el('section', { class: 'card' },
      el('h4', {}, t('workshop.plan', { number: p.number, months: p.duration_months }), ' · ', label('enum', p.state)),
      field('workshop.orientation', label('enum', c.preconisation.orientation)),
      field('workshop.receiving', c.preconisation.receiving_service_id),
      field('workshop.reference_operator', p.reference_operator),
      el('ul', {}, p.goals.map((g) => el('li', {}, `${label('enum', g.domain)} : ${g.description}`))),
      field('workshop.reviews', p.review_dates.map(date).join(', ')),
      el('h4', {}, t('workshop.approvals')),
      el('ul', { class: 'list' }, p.parties.map((party) => {
        const a = answers.get(party);
        return el('li', { dataset: { party } }, el('strong', {}, label('enum', party)), ' : ',
          a ? (a.approved ? el('span', { class: 'badge ok' }, t('workshop.approved'))
            : el('span', { class: 'badge bad' }, `${t('workshop.refused')} (${label('enum', a.reason)})`))
            : el('span', { class: 'badge warn' }, t('workshop.awaiting')),
          !a && p.state === 'PLAN_STATE_AWAITING_APPROVALS' ? el('span', { class: 'row' },
            el('button', { type: 'button', class: 'ok', onclick: (e) => answer(e.currentTarget, c, party, true) }, t('workshop.approve')),
            el('button', { type: 'button', class: 'secondary', onclick: (e) => answer(e.currentTarget, c, party, false, reason.value) },
              t('workshop.refuse'))) : null);
      })),
      p.state === 'PLAN_STATE_AWAITING_APPROVALS' ? [el('label', {}, t('workshop.refusal_reason')), reason] : null);
  }

  async function answer(button, c, party, approved, reason) {
    const body = { plan_number: c.plan.number, party, approved };
    if (!approved) body.reason = reason;
    const result = await act(button, () => post(`/workshop/cases/${seg(c.id)}/approvals`, body));
    if (result) {
      current = result.case;
      renderCase();
      await loadCases();
    }
  }

  function preconiseForm(c) {
    const orientation = el('select', { id: 'pc-orientation', required: true });
    options(orientation, C.ORIENTATIONS, (o) => label('enum', o));
    const receiving = el('select', { id: 'pc-receiving' });
    options(receiving, services.map((s) => s.id), (id) => services.find((s) => s.id === id).name, { blank: t('common.none') });
    const domain = el('select', { id: 'pc-domain' });
    options(domain, c.facts.domains.length ? c.facts.domains : C.DOMAINS, (d) => label('enum', d));
    const goal = el('input', { id: 'pc-goal', type: 'text', maxlength: 300, required: true });
    const months = el('input', { id: 'pc-months', type: 'number', min: 6, max: 9, value: 6, required: true });
    const reference = el('input', { id: 'pc-reference', type: 'text', required: true, autocomplete: 'off' });
    const review = el('input', { id: 'pc-review', type: 'date', required: true,
      value: new Date(Date.now() + 60 * 864e5).toISOString().slice(0, 10) });
    const form = el('form', { class: 'card', id: 'preconise' },
      el('h4', {}, t('workshop.preconise')),
      el('label', { for: 'pc-orientation' }, t('workshop.orientation')), orientation,
      el('label', { for: 'pc-receiving' }, t('workshop.receiving')), receiving,
      el('label', { for: 'pc-domain' }, t('workshop.goal_domain')), domain,
      el('label', { for: 'pc-goal' }, t('workshop.goal')), goal,
      el('div', { class: 'field-row' },
        el('div', {}, el('label', { for: 'pc-months' }, t('workshop.months')), months),
        el('div', {}, el('label', { for: 'pc-review' }, t('workshop.review')), review)),
      el('label', { for: 'pc-reference' }, t('workshop.reference_operator')), reference,
      el('p', {}, el('button', { type: 'submit' }, t('workshop.record_preconisation'))));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const body = {
        preconisation: { orientation: orientation.value, receiving_service_id: receiving.value },
        plan: { goals: [{ domain: domain.value, description: goal.value.trim() }], duration_months: Number(months.value),
          reference_operator: reference.value.trim(), review_dates: [new Date(`${review.value}T10:00:00Z`).toISOString()] },
        expected_version: c.version,
      };
      const result = await act(e.submitter, () => post(`/workshop/cases/${seg(c.id)}/preconisation`, body));
      if (result) {
        current = result.case;
        renderCase();
        await Promise.all([loadCases(), loadSession()]);
      }
    });
    return form;
  }

  const loadAll = () => Promise.all([loadSummary(), loadCases(), loadSession()]);

  function fillForms() {
    options($('#reorder-reason'), C.REORDER_REASONS, (r) => label('enum', r));
  }

  onChange(() => {
    fillForms();
    loadAll().catch(() => {});
    if (current) renderCase();
  });

  let timer = 0;
  connectLive({
    topics: ['workshop'],
    onStatus: (s) => liveStatus(status, s),
    onSync: async () => {
      await loadAll();
      if (current) await openCase(current.id);
    },
    onEvent: () => {
      clearTimeout(timer);
      timer = setTimeout(() => loadAll().catch(() => {}), 300);
    },
  });
  fillForms();
  get('/shelters').then((d) => { services = d.shelters.sort((a, b) => a.name.localeCompare(b.name)); }).catch(() => {});
}
