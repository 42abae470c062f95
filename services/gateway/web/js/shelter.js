// The shelter page, made for a phone at the reception desk: the arrivals expected (holds) to confirm as
// arrived or no-show, today's pools with + / − for occupied places and places in service, a departure in
// one tap, and "figures still correct" in one tap (a pool not confirmed for hours is shown to operators
// as unconfirmed). A shelter account sees and changes only its own shelters.
import { get, post, put, seg } from './api.js';
import { t, label, onChange } from './i18n.js';
import { connectLive } from './live.js';
import { $, act, boot, clear, duration, el, holdRef, liveStatus, num, options, say, time } from './ui.js';

const page = await boot({ roles: ['shelter', 'admin'] });
if (page) start(page);

async function start({ session, status }) {
  const pools = new Map();    // pool id -> pool
  const holds = new Map();    // shelter id -> live holds
  const names = new Map();    // shelter id -> name
  let shelters = session.account.shelters;

  if (session.account.role === 'admin') {
    // Admin acts for any shelter: pick one of the directory's emergency places.
    const { shelters: all } = await get('/shelters');
    const withPlaces = all.filter((s) => ['SERVICE_KIND_EMERGENCY_SHELTER', 'SERVICE_KIND_BUFFER_CENTRE'].includes(s.kind));
    for (const s of withPlaces) names.set(s.id, s.name);
    const select = $('#shelter-select');
    options(select, withPlaces.map((s) => s.id), (id) => names.get(id));
    $('#pick-shelter').hidden = false;
    select.addEventListener('change', () => {
      shelters = [select.value];
      load().catch(() => {});
    });
    shelters = [select.value];
  }

  async function load() {
    await Promise.all(shelters.map(async (id) => {
      const [{ pools: list }, { holds: live }] = await Promise.all([
        get('/availability', { 'filter.shelter_id': id }),
        get(`/shelters/${seg(id)}/holds`, { live_only: true }),
      ]);
      for (const p of list) {
        pools.set(p.id, p);
        if (p.shelter_name) names.set(id, p.shelter_name);
      }
      holds.set(id, live);
    }));
    const { crises } = await get('/crises', { active_only: true });
    const mine = crises.filter((c) => !c.shelter_id || shelters.includes(c.shelter_id));
    $('#crisis').hidden = mine.length === 0;
    clear($('#crisis'), mine.map((c) => el('div', {}, t('shelter.crisis', { reason: label('enum', c.reason),
      mode: label('enum', c.mode) }))));
    render();
  }

  function render() {
    clear($('#shelters'), shelters.map((id) => {
      const mine = [...pools.values()].filter((p) => p.shelter_id === id)
        .sort((a, b) => a.public.localeCompare(b.public));
      const live = (holds.get(id) || []).slice().sort((a, b) => Date.parse(a.deadline) - Date.parse(b.deadline));
      return el('section', { class: 'shelter', dataset: { shelter: id } },
        el('h2', {}, names.get(id) || id),
        el('section', { class: 'panel', 'aria-labelledby': `arrivals-${id}` },
          el('h3', { id: `arrivals-${id}` }, t('shelter.arrivals', { count: live.length })),
          live.length === 0 ? el('p', { class: 'empty' }, t('shelter.no_arrival'))
            : el('ul', { class: 'list' }, live.map(holdItem))),
        el('section', { class: 'panel', 'aria-labelledby': `pools-${id}` },
          el('header', {}, el('h3', { id: `pools-${id}` }, t('shelter.pools')),
            mine.length > 1 ? el('button', { type: 'button', class: 'ok', onclick: (e) => confirmAll(e.currentTarget, mine) },
              t('shelter.confirm_all')) : null),
          el('div', { class: 'cards' }, mine.map(poolCard))));
    }));
  }

  function holdItem(h) {
    const left = (Date.parse(h.deadline) - Date.now()) / 1000;
    return el('li', { dataset: { hold: h.id } },
      el('div', {}, el('strong', {}, label('public', h.public)), ' · ', label('enum', h.kind),
        ' · ', el('span', { class: 'muted' }, t('shelter.reference', { ref: holdRef(h.id) }))),
      el('div', { class: left < 15 * 60 ? 'near' : '' },
        t('shelter.expected_until', { time: time(h.deadline), left: duration(Math.max(0, left)) })),
      el('div', { class: 'row' },
        el('button', { type: 'button', class: 'ok big arrived', onclick: (e) => endHold(e.currentTarget, h, 'arrival') },
          t('shelter.arrived')),
        el('button', { type: 'button', class: 'secondary big no-show', onclick: (e) => endHold(e.currentTarget, h, 'no-show') },
          t('shelter.no_show'))));
  }

  function poolCard(p) {
    const f = p.figures;
    const stepper = (what, field, min) => el('div', { class: 'stepper' },
      el('button', { type: 'button', class: 'secondary', 'aria-label': t(`shelter.minus_${what}`),
        disabled: f[field] <= min, onclick: (e) => change(e.currentTarget, p, field, -1) }, '−'),
      el('div', { class: 'what' }, t(`shelter.${what}`), ' ', el('strong', {}, num(f[field]))),
      el('button', { type: 'button', class: 'secondary', 'aria-label': t(`shelter.plus_${what}`),
        onclick: (e) => change(e.currentTarget, p, field, 1) }, '+'));
    return el('article', { class: 'card', dataset: { pool: p.id } },
      el('h4', {}, label('public', p.public)),
      el('div', { class: 'figures' },
        el('div', {}, el('span', { class: 'value', dataset: { col: 'free' } }, num(p.free)), el('span', { class: 'name' }, t('board.free'))),
        el('div', {}, el('span', { class: 'value', dataset: { col: 'occupied' } }, num(f.occupied)), el('span', { class: 'name' }, t('board.occupied'))),
        el('div', {}, el('span', { class: 'value', dataset: { col: 'holds' } }, num(p.live_holds)), el('span', { class: 'name' }, t('board.holds')))),
      stepper('occupied', 'occupied', 0),
      stepper('in_service', 'places_in_service', 0),
      p.buffer_open ? el('p', {}, el('span', { class: 'badge warn' }, t('board.buffer_open')), ' ',
        t('shelter.buffer', { count: f.buffer_places })) : null,
      el('p', { class: 'row' },
        p.unconfirmed ? el('span', { class: 'badge warn' }, t('board.unconfirmed'))
          : el('span', { class: 'badge ok' }, t('shelter.confirmed_at', { time: time(p.updated_at) }))),
      el('div', { class: 'row' },
        el('button', { type: 'button', class: 'ok big confirm', onclick: (e) => confirm(e.currentTarget, p) },
          t('shelter.still_correct')),
        el('button', { type: 'button', class: 'secondary big departure', disabled: f.occupied <= 0,
          onclick: (e) => departure(e.currentTarget, p) }, t('shelter.departure'))));
  }

  async function change(button, p, field, delta) {
    const figures = { ...p.figures, [field]: p.figures[field] + delta };
    const answer = await act(button, () => put(`/shelters/${seg(p.shelter_id)}/pools/${seg(p.public)}`,
      { figures, expected_version: p.version }));
    if (answer) update(answer.pool);
    else await load();  // changed meanwhile: show the figures as they are now
  }

  async function confirm(button, p) {
    const answer = await act(button, () => post(`/pools/${seg(p.id)}/confirm`));
    if (answer) {
      update(answer.pool);
      say(t('shelter.confirmed'), 'ok');
    }
  }

  async function confirmAll(button, list) {
    await act(button, async () => {
      for (const p of list) update((await post(`/pools/${seg(p.id)}/confirm`)).pool);
      say(t('shelter.confirmed'), 'ok');
    });
  }

  async function departure(button, p) {
    const answer = await act(button, () => post(`/pools/${seg(p.id)}/departures`));
    if (answer) {
      update(answer.pool);
      say(t('shelter.departed'), 'ok');
    }
  }

  async function endHold(button, h, what) {
    const answer = await act(button, () => post(`/holds/${seg(h.id)}/${what}`));
    if (!answer) return;
    holds.set(h.shelter_id, (holds.get(h.shelter_id) || []).filter((x) => x.id !== h.id));
    update(answer.pool);
    say(t(what === 'arrival' ? 'shelter.arrival_done' : 'shelter.no_show_done'), 'ok');
  }

  function update(pool) {
    if (!pool || !pool.id) return;
    const old = pools.get(pool.id);
    if (old && Number(old.version) > Number(pool.version)) return;  // an older answer than what we show
    pools.set(pool.id, { ...pool, shelter_name: pool.shelter_name || (old && old.shelter_name) });
    render();
  }

  onChange(render);
  setInterval(render, 30000);  // time left before each deadline
  const reload = debounce(load);
  connectLive({
    topics: ['beds'],
    onStatus: (s) => liveStatus(status, s),
    onSync: load,
    onEvent: (m) => {
      if (m.pool && m.pool.id && shelters.includes(m.pool.shelter_id)) update(m.pool);
      if (m.event_type.startsWith('hold.') || m.event_type.startsWith('buffer.')) reload();
    },
  });
}

function debounce(fn) {
  let timer = 0;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(() => fn().catch(() => {}), 300);
  };
}
