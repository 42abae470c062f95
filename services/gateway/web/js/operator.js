// The operator console (operators and the medical focal point): calls and their waiting time, the
// person and their needs, ranked candidates, proposals, the live bed board, the queue and its offers,
// call-backs and street reports. It shows what the operator's role may see; the person's record is
// pseudonymous and only what the operator types is sent.
import { get, post, seg } from './api.js';
import { t, label, onChange } from './i18n.js';
import { connectLive } from './live.js';
import * as C from './codes.js';
import { $, act, boot, clear, dateTime, duration, el, holdRef, liveStatus, num, options, say, time } from './ui.js';
import { reportItem } from './reports.js';
import { explain } from './explain.js';

const page = await boot({ roles: ['operator', 'medical', 'admin'] });
if (page) start(page);

function start({ status }) {
  const state = {
    calls: [], callsFetchedAt: 0, targetSeconds: 600,
    currentCall: sessionStorage.getItem('relais.operator.call') || '',
    pools: new Map(), names: new Map(),
    person: null, request: null, proposal: null,
  };

  // ---------- forms filled once (labels change with the language) ----------
  function fillForms() {
    options($('#call-kind'), C.CALLER_KINDS, (c) => label('enum', c));
    options($('#call-lang'), C.SPOKEN, (c) => label('lang', c));
    options($('#call-outcome'), C.CALL_OUTCOMES, (c) => label('enum', c));
    options($('#p-age'), C.AGE_BANDS, (c) => label('enum', c), { blank: t('common.unknown') });
    options($('#p-gender'), C.GENDERS, (c) => label('enum', c), { blank: t('common.unknown') });
    options($('#p-consent'), C.CONSENT_SCOPES, (c) => label('enum', c));
    options($('#p-communes'), C.COMMUNES, (c) => label('commune', c));
    options($('#board-public'), C.PUBLICS, (c) => label('public', c), { blank: t('common.all') });
    options($('#board-commune'), C.COMMUNES, (c) => label('commune', c), { blank: t('common.all') });
    options($('#r-reporter'), C.REPORTER_KINDS, (c) => label('enum', c));
    options($('#r-commune'), C.COMMUNES, (c) => label('commune', c));
    checkboxes($('#p-languages'), 'p-lang', C.SPOKEN.slice(0, 9), (c) => label('lang', c));
    checkboxes($('#p-needs'), 'p-need', C.NEEDS, (c) => label('enum', c));
    checkboxes($('#r-seen'), 'r-seen', C.OBSERVATIONS, (c) => label('enum', c));
    checkboxes($('#r-needs'), 'r-need', C.STREET_NEEDS, (c) => label('enum', c));
  }

  function checkboxes(fieldset, name, codes, labelOf) {
    const checked = new Set([...fieldset.querySelectorAll('input:checked')].map((i) => i.value));
    for (const old of fieldset.querySelectorAll('label')) old.remove();
    for (const code of codes) {
      fieldset.append(el('label', {}, el('input', { type: 'checkbox', name, value: code,
        checked: checked.has(code) }), labelOf(code)));
    }
  }

  const picked = (fieldset) => [...fieldset.querySelectorAll('input:checked')].map((i) => i.value);

  // ---------- crisis banner ----------
  async function loadCrises() {
    const { crises } = await get('/crises', { active_only: true });
    const banner = $('#crisis');
    banner.hidden = crises.length === 0;
    clear(banner, crises.map((c) => el('div', {}, t('crisis.open', {
      reason: label('enum', c.reason), mode: label('enum', c.mode),
      where: c.shelter_id ? (state.names.get(c.shelter_id) || c.shelter_id) : t('crisis.region'),
      since: time(c.opened_at) }))));
  }

  // ---------- calls ----------
  async function loadCalls() {
    const answer = await get('/calls', { list: 'CALL_LIST_WAITING' });
    state.calls = answer.calls;
    state.targetSeconds = Number(answer.target_seconds) || 600;
    state.callsFetchedAt = Date.now();
    renderCalls();
  }

  function waited(call) {
    return Number(call.waiting_seconds) + (Date.now() - state.callsFetchedAt) / 1000;
  }

  function renderCalls() {
    const list = $('#calls');
    if (state.calls.length === 0) {
      clear(list, el('li', { class: 'empty' }, t('calls.none')));
    } else {
      clear(list, state.calls.map((call) => {
        const breach = waited(call) > state.targetSeconds;
        return el('li', { class: breach ? 'breach' : '', dataset: { call: call.id } },
          el('div', { class: 'row' },
            el('strong', {}, label('enum', call.caller_kind)), ' · ', label('lang', call.language), ' · ',
            el('span', { class: 'waited', dataset: { call: call.id } }, t('calls.waited', { time: duration(waited(call)) })),
            breach ? el('span', { class: 'badge bad' }, t('calls.breach', { minutes: state.targetSeconds / 60 })) : null),
          el('div', { class: 'row' },
            el('button', { type: 'button', onclick: (e) => answerCall(e.currentTarget, call) }, t('calls.answer')),
            el('button', { type: 'button', class: 'secondary', onclick: (e) => missCall(e.currentTarget, call) },
              t('calls.missed'))));
      }));
    }
    tickCalls();
  }

  // Every second: waiting times grow, and a call crossing the target is flagged at once.
  function tickCalls() {
    let breaching = 0;
    for (const call of state.calls) {
      const seconds = waited(call);
      if (seconds > state.targetSeconds) breaching += 1;
      const cell = document.querySelector(`.waited[data-call="${CSS.escape(call.id)}"]`);
      if (cell) cell.textContent = t('calls.waited', { time: duration(seconds) });
      const item = document.querySelector(`li[data-call="${CSS.escape(call.id)}"]`);
      if (item && seconds > state.targetSeconds && !item.classList.contains('breach')) renderCalls();
    }
    const badge = $('#calls-breach');
    badge.hidden = breaching === 0;
    badge.textContent = t('calls.breaching', { count: breaching, minutes: state.targetSeconds / 60 });
  }
  setInterval(tickCalls, 1000);

  async function answerCall(button, call) {
    const answered = await act(button, () => post(`/calls/${seg(call.id)}/answer`));
    if (!answered) return;
    setCurrentCall(answered.call);
    await loadCalls();
    $('#p-age').focus();
  }

  async function missCall(button, call) {
    if (await act(button, () => post(`/calls/${seg(call.id)}/missed`))) await refreshCallLists();
  }

  function setCurrentCall(call) {
    state.currentCall = call ? call.id : '';
    if (call) sessionStorage.setItem('relais.operator.call', call.id);
    else sessionStorage.removeItem('relais.operator.call');
    const box = $('#current-call');
    box.hidden = !call;
    if (call) {
      $('#current-call-what').textContent = t('calls.current_what', { kind: label('enum', call.caller_kind),
        language: label('lang', call.language), time: duration(Number(call.waiting_seconds)) });
    }
  }

  $('#call-outcome').addEventListener('change', () => {
    $('#call-back-field').hidden = $('#call-outcome').value !== 'CALL_OUTCOME_CALL_BACK_NEEDED';
  });

  $('#end-call').addEventListener('click', async (e) => {
    const body = { outcome: $('#call-outcome').value };
    if (body.outcome === 'CALL_OUTCOME_CALL_BACK_NEEDED') body.call_back_contact = $('#call-back-contact').value.trim();
    const ended = await act(e.currentTarget, () => post(`/calls/${seg(state.currentCall)}/end`, body));
    if (!ended) return;
    $('#call-back-contact').value = '';
    setCurrentCall(null);
    say(t('calls.ended'), 'ok');
    await refreshCallLists();
  });

  $('#new-call').addEventListener('submit', async (e) => {
    e.preventDefault();
    const button = e.submitter;
    if (await act(button, () => post('/calls', { caller_kind: $('#call-kind').value, language: $('#call-lang').value }))) {
      await loadCalls();
    }
  });

  async function loadCallBacks() {
    const { calls } = await get('/calls', { list: 'CALL_LIST_CALL_BACKS' });
    const list = $('#callbacks');
    if (calls.length === 0) return clear(list, el('li', { class: 'empty' }, t('callbacks.none')));
    clear(list, calls.map((call) => el('li', {},
      el('div', {}, el('strong', {}, call.call_back_contact || t('callbacks.no_number')), ' · ',
        label('enum', call.caller_kind), call.language ? ` · ${label('lang', call.language)}` : '', ' · ',
        el('span', { class: 'muted' }, dateTime(call.ended_at || call.queued_at))),
      el('div', { class: 'row' },
        el('button', { type: 'button', class: 'ok', onclick: (e) => callBack(e.currentTarget, call, true) },
          t('callbacks.reached')),
        el('button', { type: 'button', class: 'secondary', onclick: (e) => callBack(e.currentTarget, call, false) },
          t('callbacks.unreachable'))))));
  }

  async function callBack(button, call, reached) {
    if (await act(button, () => post(`/calls/${seg(call.id)}/call-back`, { reached }))) await loadCallBacks();
  }

  async function refreshCallLists() {
    await Promise.all([loadCalls(), loadCallBacks()]);
  }

  // ---------- person, request, candidates, proposal ----------
  $('#p-consent').addEventListener('change', () => {
    const none = $('#p-consent').value === 'CONSENT_SCOPE_UNSPECIFIED';
    $('#p-alias').disabled = none;
    if (none) $('#p-alias').value = '';
    if (!none && !$('#p-consent-until').value) {
      $('#p-consent-until').value = new Date(Date.now() + 90 * 864e5).toISOString().slice(0, 10);
    }
  });

  $('#person-form').addEventListener('reset', () => {
    state.person = null;
    state.request = null;
    $('#request').hidden = true;
    $('#p-alias').disabled = true;
  });

  $('#person-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const button = $('#person-save');
    await act(button, async () => {
      const scope = $('#p-consent').value;
      const person = {
        age_band: $('#p-age').value || 'AGE_BAND_UNSPECIFIED',
        gender: $('#p-gender').value || 'GENDER_UNSPECIFIED',
        household: { adults: Number($('#p-adults').value), children: Number($('#p-children').value) },
        languages: picked($('#p-languages')),
        needs: picked($('#p-needs')),
      };
      if (scope !== 'CONSENT_SCOPE_UNSPECIFIED') {
        const until = $('#p-consent-until').value;
        person.consent = { scope, expires_at: new Date(`${until}T23:59:00`).toISOString() };
        const alias = $('#p-alias').value.trim();
        if (alias) person.alias = alias;
      }
      const created = await post('/persons', { person });
      state.person = created.person;
      const { request } = await post('/requests', { person_id: state.person.id,
        preferred_communes: [...$('#p-communes').selectedOptions].map((o) => o.value) });
      await openRequest(request);
    });
  });

  async function openRequest(request) {
    state.request = request;
    state.proposal = null;
    $('#request').hidden = false;
    $('#proposal').hidden = true;
    renderRequest();
    await loadCandidates();
  }

  function renderRequest() {
    const r = state.request;
    const p = state.person && state.person.id === r.person_id ? state.person : null;
    const v = p ? p.vulnerability : null;
    clear($('#person-summary'),
      el('h3', {}, t('dispatch.request', { id: r.id })),
      el('p', { class: 'row' },
        el('span', { class: `badge ${r.lane === 'LANE_PRIORITY' ? 'bad' : r.lane === 'LANE_MEDICAL' ? 'warn' : 'ok'}` },
          label('enum', r.lane)),
        r.state === 'PLACE_REQUEST_STATE_WAITING'
          ? t('dispatch.position', { position: r.queue_position }) : label('enum', r.state),
        r.refusals ? ` · ${t('dispatch.refusals', { count: r.refusals })}` : ''),
      el('p', {}, t('dispatch.publics'), ' ', r.publics.map((x) => label('public', x)).join(', ')),
      v ? el('details', {}, el('summary', {}, t('dispatch.vulnerability', { score: v.score })),
        el('ul', {}, v.explanation.map((line) => el('li', {}, explain(line))))) : null);
  }

  async function loadCandidates() {
    const { alternatives, candidates } = await get(`/requests/${seg(state.request.id)}/candidates`, { limit: 10 });
    $('#alternatives-box').hidden = alternatives.length === 0;
    clear($('#alternatives'), alternatives.map((a) => el('li', {},
      el('div', {}, el('strong', {}, a.name), ' · ', label('enum', a.kind), ' · ', label('commune', a.commune),
        a.phone ? ` · ${a.phone}` : ''),
      el('button', { type: 'button', class: 'secondary', onclick: (e) => proposeInsertion(e.currentTarget, a) },
        t('dispatch.insertion_proposed')))));
    const list = $('#candidates');
    if (candidates.length === 0) {
      clear(list, el('li', { class: 'empty' }, t('dispatch.no_candidate')));
      return;
    }
    clear(list, candidates.map((c) => el('li', { dataset: { pool: c.pool_id } },
      el('div', { class: 'row' }, el('strong', {}, c.shelter_name), ' · ', label('commune', c.commune), ' · ',
        label('public', c.public)),
      el('div', { class: 'row' },
        el('span', { class: 'badge ok' }, t('dispatch.free', { count: c.free })),
        c.unconfirmed ? el('span', { class: 'badge warn' }, t('board.unconfirmed')) : null,
        el('span', { class: 'muted' }, t('dispatch.score', { score: c.score }))),
      el('ul', { class: 'muted' }, c.explanation.map((line) => el('li', {}, explain(line)))),
      state.request.state === 'PLACE_REQUEST_STATE_WAITING'
        ? el('button', { type: 'button', class: 'propose', onclick: (e) => propose(e.currentTarget, c) },
          t('dispatch.propose')) : null)));
  }

  async function proposeInsertion(button, alternative) {
    if (!state.person) return say(t('dispatch.person_needed'), 'error');
    const kind = alternative.kind === 'SERVICE_KIND_CPAS' ? 'SOLUTION_KIND_PREVENTION' : 'SOLUTION_KIND_INSERTION';
    const done = await act(button, () => post(`/persons/${seg(state.person.id)}/insertion-proposals`,
      { service_id: alternative.shelter_id, kind }));
    if (done) say(t('dispatch.insertion_recorded', { name: alternative.name }), 'ok');
  }

  async function propose(button, candidate) {
    const answer = await act(button, () => post(`/requests/${seg(state.request.id)}/proposals`,
      { pool_id: candidate.pool_id }));
    if (!answer) return;
    state.proposal = { ...answer.proposal, candidate };
    renderProposal();
  }

  function renderProposal(result = null) {
    const p = state.proposal;
    const box = $('#proposal');
    box.hidden = false;
    const reason = el('select', { id: 'refusal-reason' });
    options(reason, C.REFUSAL_REASONS, (c) => label('enum', c));
    clear(box,
      el('h3', {}, t('dispatch.proposed', { shelter: p.candidate.shelter_name, public: label('public', p.candidate.public) })),
      result,
      p.state === 'PROPOSAL_STATE_PROPOSED' ? [
        el('p', {}, t('dispatch.ask_person')),
        el('div', { class: 'row' },
          el('button', { type: 'button', class: 'ok', id: 'accept', onclick: (e) => accept(e.currentTarget) },
            t('dispatch.accept'))),
        el('label', { for: 'refusal-reason' }, t('dispatch.refusal_reason')),
        reason,
        el('p', { class: 'muted' }, t('dispatch.refusal_right')),
        el('button', { type: 'button', class: 'secondary', id: 'refuse', onclick: (e) => refuse(e.currentTarget) },
          t('dispatch.refuse')),
      ] : null);
    box.focus();
  }

  async function accept(button) {
    const answer = await act(button, () => post(`/proposals/${seg(state.proposal.id)}/accept`));
    if (!answer) return;
    state.proposal = { ...answer.proposal, candidate: state.proposal.candidate };
    state.request = answer.request;
    renderRequest();
    if (answer.proposal.state === 'PROPOSAL_STATE_ACCEPTED') {
      const { hold } = await get(`/holds/${seg(answer.proposal.hold_id)}`);
      renderProposal(el('p', { class: 'message message-ok', id: 'held' },
        t('dispatch.held', { shelter: state.proposal.candidate.shelter_name, until: time(hold.deadline),
          ref: holdRef(hold.id) })));
      $('#call-outcome').value = 'CALL_OUTCOME_PLACE_DISPATCHED';
      await loadCandidates();
    } else {
      const next = answer.next_candidate;
      renderProposal(el('div', { class: 'message message-error', role: 'alert' }, t('dispatch.place_gone'),
        next && next.pool_id ? el('button', { type: 'button', onclick: (e) => propose(e.currentTarget, next) },
          t('dispatch.propose_next', { shelter: next.shelter_name })) : null));
      await loadCandidates();
    }
  }

  async function refuse(button) {
    const reason = $('#refusal-reason').value;
    const answer = await act(button, () => post(`/proposals/${seg(state.proposal.id)}/refuse`, { reason }));
    if (!answer) return;
    state.proposal = { ...answer.proposal, candidate: state.proposal.candidate };
    state.request = answer.request;
    renderRequest();
    renderProposal(el('p', { class: 'message message-ok' }, t('dispatch.refused', { reason: label('enum', reason) })));
  }

  // ---------- bed board ----------
  async function loadBoard() {
    const [board, summary] = await Promise.all([
      get('/availability', { 'filter.public': $('#board-public').value, 'filter.commune': $('#board-commune').value }),
      get('/region-summary'),
    ]);
    state.pools = new Map(board.pools.map((p) => [p.id, p]));
    for (const p of board.pools) if (p.shelter_name) state.names.set(p.shelter_id, p.shelter_name);
    $('#board-as-of').textContent = t('board.as_of', { time: time(board.as_of) });
    renderBoard();
    renderSummary(summary);
  }

  function fitsFilter(pool) {
    const pub = $('#board-public').value;
    const commune = $('#board-commune').value;
    return (!pub || pool.public === pub) && (!commune || pool.commune === commune);
  }

  function row(pool) {
    const name = pool.shelter_name || state.names.get(pool.shelter_id) || pool.shelter_id;
    const full = Number(pool.free) === 0;
    return el('tr', { dataset: { pool: pool.id } },
      el('td', {}, name),
      el('td', {}, label('public', pool.public)),
      el('td', { class: 'n', dataset: { col: 'free' } }, el('strong', {}, num(pool.free))),
      el('td', { class: 'n', dataset: { col: 'holds' } }, num(pool.live_holds)),
      el('td', { class: 'n', dataset: { col: 'occupied' } }, num(pool.figures.occupied)),
      el('td', { class: 'n', dataset: { col: 'places' } },
        num(pool.figures.places_in_service + (pool.buffer_open ? pool.figures.buffer_places : 0))),
      el('td', {},
        full ? el('span', { class: 'badge bad' }, t('board.full')) : null, ' ',
        pool.unconfirmed ? el('span', { class: 'badge warn' }, t('board.unconfirmed')) : null, ' ',
        pool.buffer_open ? el('span', { class: 'badge warn' }, t('board.buffer_open')) : null));
  }

  function renderBoard() {
    const pools = [...state.pools.values()].filter(fitsFilter).sort((a, b) =>
      (a.shelter_name || a.shelter_id).localeCompare(b.shelter_name || b.shelter_id) || a.public.localeCompare(b.public));
    clear($('#board tbody'), pools.map(row));
  }

  function renderSummary({ publics }) {
    clear($('#summary tbody'), publics.map((p) => el('tr', { dataset: { public: p.public } },
      el('td', {}, label('public', p.public)),
      el('td', { class: 'n', dataset: { col: 'free' } }, el('strong', {}, num(p.free))),
      el('td', { class: 'n' }, num(p.live_holds)),
      el('td', { class: 'n' }, num(p.occupied)),
      el('td', { class: 'n' }, num(p.places_in_service + p.buffer_places_open)))));
  }

  // A pool event carries the pool after the change: its row is replaced in place, and flashes.
  function applyPool(pool) {
    pool.shelter_name = state.names.get(pool.shelter_id) || pool.shelter_name;
    state.pools.set(pool.id, pool);
    const old = document.querySelector(`#board tr[data-pool="${CSS.escape(pool.id)}"]`);
    if (!fitsFilter(pool)) {
      if (old) old.remove();
      return;
    }
    const fresh = row(pool);
    fresh.classList.add('changed');
    if (old) old.replaceWith(fresh);
    else renderBoard();
  }

  for (const id of ['#board-public', '#board-commune']) {
    $(id).addEventListener('change', () => loadBoard().catch(() => {}));
  }

  // ---------- queue and offers ----------
  async function loadQueue() {
    const [queue, { offers }] = await Promise.all([get('/queue'), get('/offers')]);
    $('#queue-counts').textContent = t('queue.counts', { priority: queue.priority, medical: queue.medical,
      standard: queue.standard });
    const list = $('#queue');
    if (queue.requests.length === 0) clear(list, el('li', { class: 'empty' }, t('queue.none')));
    else {
      clear(list, queue.requests.map((r) => el('li', {},
        el('div', { class: 'row' },
          el('span', { class: `badge ${r.lane === 'LANE_PRIORITY' ? 'bad' : r.lane === 'LANE_MEDICAL' ? 'warn' : 'ok'}` },
            label('enum', r.lane)),
          t('queue.since', { time: duration((Date.now() - Date.parse(r.created_at)) / 1000) }),
          r.refusals ? el('span', { class: 'muted' }, t('dispatch.refusals', { count: r.refusals })) : null),
        el('div', { class: 'muted' }, r.publics.map((x) => label('public', x)).join(', ')),
        el('button', { type: 'button', class: 'secondary', onclick: () => openRequest(r) }, t('queue.open')))));
    }
    const offerList = $('#offers');
    if (offers.length === 0) clear(offerList, el('li', { class: 'empty' }, t('queue.no_offer')));
    else {
      clear(offerList, offers.map((o) => el('li', {},
        el('div', {}, el('span', { class: 'badge ok' }, label('enum', o.request.lane)), ' ',
          t('queue.offer', { shelter: o.candidate.shelter_name, public: label('public', o.candidate.public),
            free: o.candidate.free })),
        el('button', { type: 'button', onclick: async (e) => {
          await openRequest(o.request);
          await propose(e.currentTarget, o.candidate);
        } }, t('queue.propose_offer')))));
    }
  }

  // ---------- street reports ----------
  $('#r-wants').addEventListener('change', () => {
    $('#r-contact').disabled = !$('#r-wants').checked;
    if (!$('#r-wants').checked) $('#r-contact').value = '';
  });

  $('#report-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const report = {
      reporter_kind: $('#r-reporter').value, commune: $('#r-commune').value,
      address: $('#r-address').value.trim(), spot_description: $('#r-spot').value.trim(),
      seen: picked($('#r-seen')), needs: picked($('#r-needs')),
      reporter_wants_outcome: $('#r-wants').checked, reporter_contact: $('#r-contact').value.trim(),
    };
    const answer = await act(e.submitter, () => post('/street-reports', { report }));
    if (!answer) return;
    e.target.reset();
    say(t('reports.routed', { team: answer.report.team }), 'ok');
    if (answer.possible_duplicates.length > 0) offerMerge(answer.report, answer.possible_duplicates);
    await loadReports();
  });

  function offerMerge(report, duplicates) {
    say(t('reports.duplicates', { count: duplicates.length }));
    const box = $('#reports');
    box.prepend(el('div', { class: 'card', id: 'merge-offer' },
      el('h3', {}, t('reports.possible_duplicates')),
      el('ul', { class: 'list' }, duplicates.map((d) => el('li', {},
        `${label('commune', d.commune)} · ${d.address || d.spot_description} · ${dateTime(d.created_at)}`,
        el('button', { type: 'button', class: 'secondary', onclick: async (e) => {
          if (await act(e.currentTarget, () => post(`/street-reports/${seg(report.id)}/merge`,
            { into_report_id: d.id }))) {
            say(t('reports.merged'), 'ok');
            await loadReports();
          }
        } }, t('reports.merge')))))));
  }

  async function loadReports() {
    const { reports } = await get('/street-reports', { open_only: true });
    const box = $('#reports');
    const columns = C.STREET_STATES.filter((s) => s !== 'STREET_REPORT_STATE_CLOSED');
    clear(box, columns.map((s) => {
      const mine = reports.filter((r) => r.state === s);
      return el('section', {}, el('h3', {}, `${label('enum', s)} (${mine.length})`),
        el('ul', { class: 'list' }, mine.map((r) => reportItem(r, loadReports))));
    }));
  }

  onChange(() => {
    fillForms();
    Promise.all([loadBoard(), loadCalls(), loadCallBacks(), loadQueue(), loadReports(), loadCrises()]).catch(() => {});
    if (state.request) renderRequest();
  });

  // ---------- live ----------
  const later = debounce();
  connectLive({
    topics: ['beds', 'calls', 'queue', 'reports'],
    onStatus: (s) => liveStatus(status, s),
    onSync: () => Promise.all([loadBoard(), refreshCallLists(), loadQueue(), loadReports(), loadCrises()]),
    onEvent: (m) => {
      if (m.topic === 'beds') {
        if (m.pool && m.pool.id) applyPool(m.pool);
        later('summary', async () => renderSummary(await get('/region-summary')));
        if (m.event_type.startsWith('buffer.')) later('crises', loadCrises);
        later('offers', loadQueue);
      } else if (m.topic === 'calls') later('calls', refreshCallLists);
      else if (m.topic === 'queue') later('queue', loadQueue);
      else if (m.topic === 'reports') later('reports', loadReports);
    },
  });

  fillForms();
  if (state.currentCall) {
    get('/calls', { list: 'CALL_LIST_RECENT', limit: 100 }).then(({ calls }) => {
      const call = calls.find((c) => c.id === state.currentCall && c.state === 'CALL_STATE_ANSWERED');
      setCurrentCall(call || null);
    }).catch(() => {});
  }
}

// One refresh per burst of events: the page reads again at most every 300 ms per kind.
function debounce() {
  const timers = new Map();
  return (name, fn) => {
    clearTimeout(timers.get(name));
    timers.set(name, setTimeout(() => Promise.resolve(fn()).catch(() => {}), 300));
  };
}
