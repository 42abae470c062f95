// The page of a street-work team or a maraude, made for a phone in the street: the street reports
// routed to the team (the API shows a team nothing else, and never the reporter's number) moved from
// state to state, and pass night: one tap holds a place for the person met, within the nightly quota.
import { get, post } from './api.js';
import { t, label, onChange } from './i18n.js';
import { connectLive } from './live.js';
import * as C from './codes.js';
import { reportItem } from './reports.js';
import { $, act, boot, clear, el, holdRef, liveStatus, options, time } from './ui.js';

const page = await boot({ roles: ['team'] });
if (page) start(page);

function start({ status }) {
  function fillForms() {
    options($('#pn-public'), C.PUBLICS, (c) => label('public', c));
    options($('#pn-commune'), C.COMMUNES, (c) => label('commune', c), { blank: t('team.anywhere') });
  }

  async function loadQuota() {
    const q = await get('/pass-night/quota');
    const left = Math.max(0, q.quota - q.used);
    $('#quota').textContent = t('team.quota', { used: q.used, quota: q.quota, left });
    $('#pass-night button[type=submit]').disabled = left === 0;
  }

  async function loadReports() {
    const { reports } = await get('/street-reports', { open_only: true });
    const box = $('#reports');
    if (reports.length === 0) return clear(box, el('p', { class: 'empty' }, t('team.no_report')));
    // Oldest first: the one waiting longest is on top.
    reports.sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
    clear(box, el('ul', { class: 'list' }, reports.map((r) => {
      const item = reportItem(r, loadReports);
      item.prepend(el('span', { class: 'badge warn' }, label('enum', r.state)));
      return item;
    })));
  }

  $('#pass-night').addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { public: $('#pn-public').value };
    if ($('#pn-commune').value) body.preferred_communes = [$('#pn-commune').value];
    const answer = await act(e.submitter, () => post('/pass-night', body));
    if (!answer) return;
    clear($('#pn-result'), el('p', { class: 'message message-ok', id: 'pn-held' },
      t('team.held', { shelter: answer.shelter_name, until: time(answer.deadline), ref: holdRef(answer.hold_id) })));
    await loadQuota();
  });

  onChange(() => {
    fillForms();
    Promise.all([loadQuota(), loadReports()]).catch(() => {});
  });

  let timer = 0;
  connectLive({
    topics: ['reports'],
    onStatus: (s) => liveStatus(status, s),
    onSync: () => Promise.all([loadQuota(), loadReports()]),
    onEvent: () => {
      clearTimeout(timer);
      timer = setTimeout(() => Promise.all([loadQuota(), loadReports()]).catch(() => {}), 300);
    },
  });
  fillForms();
}
