// The monitoring cell's page: the anonymised monthly report with its charts, a month picker, the
// previous month and the same month a year before beside each key figure, downloads (CSV, JSON, a
// printable page), and the region's places now (live aggregates: no id, no person). A withheld count
// (a small number that could point at someone) is shown as withheld, never guessed.
import { get, seg } from './api.js';
import { t, label, onChange } from './i18n.js';
import { connectLive } from './live.js';
import { $, boot, clear, dateTime, el, liveStatus, num, sayError } from './ui.js';

const page = await boot({ roles: ['monitoring', 'admin'] });
if (page) start(page);

function start({ status }) {
  let report = null;

  const monthOf = (d) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  const asked = new URLSearchParams(location.search).get('month');
  $('#month').value = /^\d{4}-\d{2}$/.test(asked || '') ? asked : monthOf(new Date());

  function shift(months) {
    const [y, m] = $('#month').value.split('-').map(Number);
    $('#month').value = monthOf(new Date(Date.UTC(y, m - 1 + months, 1)));
    load();
  }
  $('#month-prev').addEventListener('click', () => shift(-1));
  $('#month-next').addEventListener('click', () => shift(1));
  $('#month-form').addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });

  // ---- figures ----
  const value = (c) => Number((c && c.value) || 0);
  const count = (c) => (c && c.suppressed ? el('span', { class: 'badge warn', title: t('monitoring.withheld_why') },
    t('monitoring.withheld')) : num(value(c)));
  const share = (s) => {
    if (!s) return '';
    if (s.suppressed) return el('span', { class: 'badge warn', title: t('monitoring.withheld_why') }, t('monitoring.withheld'));
    if (value(s.denominator) === 0) return '–';
    return `${Number(s.percent).toFixed(1)} % (${num(value(s.numerator))} / ${num(value(s.denominator))})`;
  };

  function cellLabel(key) {
    const band = /^(le|gt)_(\d+)([mh])$/.exec(key);
    if (band) return `${band[1] === 'le' ? '≤' : '>'} ${band[2]} ${band[3] === 'm' ? 'min' : 'h'}`;
    for (const prefix of ['enum', 'public', 'commune', 'lang', 'monitoring.key']) {
      const text = label(prefix, key);
      if (text !== key) return text;
    }
    return key;
  }

  // A horizontal bar chart of a table's cells, as SVG built from elements (no inline style: the CSS
  // colours it). Withheld cells get no bar and the word "withheld".
  function chart(table, title) {
    const cells = table.cells;
    if (!cells.length) return el('p', { class: 'empty' }, t('monitoring.nothing'));
    const ns = 'http://www.w3.org/2000/svg';
    const svg = (tag, attrs, text) => {
      const node = document.createElementNS(ns, tag);
      for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
      if (text !== undefined) node.textContent = text;
      return node;
    };
    const rowH = 22;
    const labelW = 190;
    const barW = 360;
    const max = Math.max(1, ...cells.map((c) => (c.count.suppressed ? 0 : value(c.count))));
    const root = svg('svg', { class: 'chart', viewBox: `0 0 ${labelW + barW + 90} ${cells.length * rowH + 6}`,
      role: 'img', 'aria-label': title });
    root.append(svg('title', {}, title));
    cells.forEach((c, i) => {
      const y = i * rowH + 3;
      root.append(svg('text', { x: labelW - 6, y: y + 15, 'text-anchor': 'end' }, cellLabel(c.key)));
      const w = c.count.suppressed ? 0 : Math.max(value(c.count) > 0 ? 2 : 0, (value(c.count) / max) * barW);
      root.append(svg('rect', { class: 'bar', x: labelW, y: y + 3, width: w.toFixed(1), height: rowH - 8 }));
      root.append(svg('text', { x: labelW + w + 6, y: y + 15 },
        c.count.suppressed ? t('monitoring.withheld') : num(value(c.count))));
    });
    return root;
  }

  function tableOf(table, title) {
    return el('figure', {},
      el('figcaption', {}, el('strong', {}, title), ' · ', t('monitoring.total'), ' ', count(table.total)),
      chart(table, title),
      el('details', {}, el('summary', {}, t('monitoring.as_table')),
        el('table', {}, el('tbody', {}, table.cells.map((c) => el('tr', {},
          el('th', { scope: 'row' }, cellLabel(c.key)), el('td', { class: 'n' }, count(c.count))))))));
  }

  function section(id, title, ...children) {
    return el('section', { class: 'panel', 'aria-labelledby': id }, el('h2', { id }, title), ...children);
  }

  function keyFigures(r) {
    const rows = [
      ['monitoring.calls_total', (m) => count(m.calls.total)],
      ['monitoring.calls_answered', (m) => count(m.calls.answered)],
      ['monitoring.calls_missed', (m) => count(m.calls.missed)],
      ['monitoring.calls_within_target', (m) => share(m.calls.answered_within_target)],
      ['monitoring.mean_waiting', (m) => (m.calls.mean_waiting_seconds ? `${(m.calls.mean_waiting_seconds / 60).toFixed(1)} min` : '–')],
      ['monitoring.reports_total', (m) => count(m.street_reports.total)],
      ['monitoring.reports_found', (m) => share(m.street_reports.found)],
      ['monitoring.requests', (m) => count(m.dispatching.requests)],
      ['monitoring.persons', (m) => count(m.dispatching.persons)],
      ['monitoring.proposals', (m) => count(m.dispatching.proposals)],
      ['monitoring.place_gone', (m) => count(m.dispatching.place_gone)],
      ['monitoring.holds_taken', (m) => count(m.dispatching.holds_taken)],
      ['monitoring.pass_night', (m) => count(m.dispatching.pass_night.places_used)],
      ['monitoring.occupancy', (m) => (m.occupancy.region ? `${Number(m.occupancy.region.occupancy_percent || 0).toFixed(1)} %` : '–')],
      ['monitoring.buffer_activations', (m) => num(m.buffers.activations)],
      ['monitoring.workshop_referrals', (m) => (m.workshop.available ? count(m.workshop.referrals) : '–')],
      ['monitoring.workshop_deadlines', (m) => (m.workshop.available ? share(m.workshop.deadlines_met) : '–')],
      ['monitoring.insertion', (m) => (m.insertion_indicator.available ? share(m.insertion_indicator.within_seven_days) : '–')],
    ];
    const months = [r.current, r.previous, r.year_before];
    return el('div', { class: 'table-wrap' }, el('table', { id: 'key-figures' },
      el('thead', {}, el('tr', {}, el('th', {}, t('monitoring.figure')),
        months.map((m) => el('th', { class: 'n' }, m.month)))),
      el('tbody', {}, rows.map(([key, f]) => el('tr', { dataset: { figure: key } }, el('th', { scope: 'row' }, t(key)),
        months.map((m) => el('td', { class: 'n' }, m.has_data ? f(m) : '–')))))));
  }

  function occupancy(o) {
    const rows = [...o.by_public, ...(o.region ? [o.region] : [])];
    return el('div', { class: 'table-wrap' }, el('table', {},
      el('thead', {}, el('tr', {}, el('th', {}, t('board.public')), el('th', { class: 'n' }, t('monitoring.avg_occupied')),
        el('th', { class: 'n' }, t('monitoring.peak')), el('th', { class: 'n' }, t('monitoring.avg_places')),
        el('th', { class: 'n' }, t('monitoring.rate')))),
      el('tbody', {}, rows.map((r) => el('tr', {}, el('th', { scope: 'row' }, r.key === 'all' ? t('monitoring.region') : cellLabel(r.key)),
        el('td', { class: 'n' }, Number(r.average_occupied).toFixed(1)), el('td', { class: 'n' }, num(r.peak_occupied)),
        el('td', { class: 'n' }, Number(r.average_places).toFixed(1)),
        el('td', { class: 'n' }, `${Number(r.occupancy_percent).toFixed(1)} %`))))));
  }

  function render() {
    if (!report) return;
    const r = report;
    const m = r.current;
    $('#report-status').textContent = t(r.month_complete ? 'monitoring.complete' : 'monitoring.partial',
      { through: dateTime(r.figures_through) || '–', generated: dateTime(r.generated_at) });
    $('#suppression').textContent = r.suppression_rule;
    clear($('#definitions'), r.definitions.map((d) => el('li', {}, d)));
    const ii = m.insertion_indicator;
    clear($('#report'),
      section('key-h', t('monitoring.key_figures', { month: r.month }),
        m.has_data ? null : el('p', { class: 'empty' }, t('monitoring.no_data')), keyFigures(r)),
      section('ind-h', t('monitoring.indicator'),
        ii.available ? el('p', { class: 'big' }, share(ii.within_seven_days), ' ',
          // No target badge without people to count (nobody entered shelter, or the share is withheld).
          value(ii.within_seven_days.denominator) > 0 && !ii.within_seven_days.suppressed
            ? el('span', { class: `badge ${ii.meets_95 ? 'ok' : ii.meets_80 ? 'warn' : 'bad'}` },
              ii.meets_95 ? t('monitoring.meets_95') : ii.meets_80 ? t('monitoring.meets_80') : t('monitoring.below_80'))
            : null)
          : el('p', { class: 'empty' }, t('monitoring.not_available')),
        ii.available ? el('p', {}, t('monitoring.pending'), ' ', count(ii.pending)) : null,
        ii.note ? el('p', { class: 'muted' }, ii.note) : null),
      section('calls-h', t('monitoring.calls'),
        tableOf(m.calls.by_caller_kind, t('monitoring.by_caller_kind')),
        tableOf(m.calls.waiting_time, t('monitoring.waiting_time')),
        tableOf(m.calls.per_day, t('monitoring.per_day')),
        tableOf(m.calls.by_outcome, t('monitoring.by_outcome')),
        tableOf(m.calls.by_language, t('monitoring.by_language'))),
      section('reports-h', t('monitoring.street_reports'),
        tableOf(m.street_reports.by_route, t('monitoring.by_route')),
        tableOf(m.street_reports.by_reporter_kind, t('monitoring.by_reporter_kind')),
        tableOf(m.street_reports.by_commune, t('monitoring.by_commune')),
        tableOf(m.street_reports.time_to_first_contact, t('monitoring.time_to_contact')),
        tableOf(m.street_reports.by_outcome, t('monitoring.by_street_outcome'))),
      section('dispatch-h', t('monitoring.dispatching'),
        tableOf(m.dispatching.requests_by_lane, t('monitoring.by_lane')),
        tableOf(m.dispatching.dispatched_by_public, t('monitoring.dispatched_by_public')),
        tableOf(m.dispatching.refused_by_reason, t('monitoring.refused_by_reason')),
        tableOf(m.dispatching.hold_endings, t('monitoring.hold_endings')),
        tableOf(m.dispatching.insertion_proposals, t('monitoring.insertion_proposals'))),
      section('occ-h', t('monitoring.occupancy_title'), occupancy(m.occupancy)),
      section('buf-h', t('monitoring.buffers'), el('p', {}, t('monitoring.buffer_summary', {
        activations: m.buffers.activations, places: m.buffers.places, nights: m.buffers.nights })),
      el('ul', {}, m.buffers.by_reason.map((b) => el('li', {}, `${label('enum', b.reason)} : ${t('monitoring.buffer_summary', {
        activations: b.activations, places: b.places, nights: b.nights })}`)))),
      m.workshop.available ? section('ws-h', t('monitoring.workshop'),
        tableOf(m.workshop.cases_by_outcome, t('monitoring.cases_by_outcome')),
        el('p', {}, t('monitoring.workshop_deadlines'), ' ', share(m.workshop.deadlines_met))) : null);
  }

  async function load() {
    const month = $('#month').value;
    history.replaceState(null, '', `?month=${month}`);
    const base = `/api/v1/monitoring/reports/${seg(month)}/export?format=`;
    $('#dl-csv').href = `${base}REPORT_FORMAT_CSV`;
    $('#dl-json').href = `${base}REPORT_FORMAT_JSON`;
    $('#dl-html').href = `${base}REPORT_FORMAT_HTML`;
    try {
      ({ report } = await get(`/monitoring/reports/${seg(month)}`));
      render();
    } catch (e) {
      report = null;
      clear($('#report'));
      sayError(e);
    }
  }

  async function loadNow() {
    const { publics } = await get('/region-summary');
    clear($('#now tbody'), publics.map((p) => el('tr', { dataset: { public: p.public } },
      el('th', { scope: 'row' }, label('public', p.public)), el('td', { class: 'n', dataset: { col: 'free' } }, num(p.free)),
      el('td', { class: 'n' }, num(p.live_holds)), el('td', { class: 'n' }, num(p.occupied)),
      el('td', { class: 'n' }, num(p.places_in_service + p.buffer_places_open)))));
  }

  onChange(render);
  let timer = 0;
  connectLive({
    topics: ['summary'],
    onStatus: (s) => liveStatus(status, s),
    onSync: loadNow,
    onEvent: () => {
      clearTimeout(timer);
      timer = setTimeout(() => loadNow().catch(() => {}), 500);
    },
  });
  load();
}
