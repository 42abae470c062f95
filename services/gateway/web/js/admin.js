// Accounts and API keys (admin only). A new account's password is generated in this browser and shown
// once, like a new key's secret: neither is kept by the page, and Relais keeps only their hashes.
import { del, get, post, put, seg } from './api.js';
import { t, label, onChange } from './i18n.js';
import * as C from './codes.js';
import { $, act, boot, clear, date, el, options, say } from './ui.js';

const page = await boot({ roles: ['admin'] });
if (page) start(page);

function start({ session }) {
  const list = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);
  const bindings = (a) => [a.shelters.join(', '), a.team].filter(Boolean).join(' · ');

  function fillForms() {
    options($('#u-role'), C.ROLES, (r) => label('role', r));
    options($('#k-role'), C.ROLES.filter((r) => r !== 'admin'), (r) => label('role', r));
  }

  function password() {
    const bytes = new Uint8Array(18);
    crypto.getRandomValues(bytes);
    return btoa(String.fromCharCode(...bytes)).replace(/[+/=]/g, '').slice(0, 20);
  }

  function showSecret(box, text, value) {
    clear(box, el('div', { class: 'card' }, el('p', {}, text), el('p', { class: 'secret' }, value),
      el('button', { type: 'button', class: 'secondary', onclick: () => clear(box) }, t('admin.secret_copied'))));
  }

  async function loadUsers() {
    const { users } = await get('/admin/users');
    clear($('#users tbody'), users.map((u) => {
      const role = el('select', { 'aria-label': t('admin.role_of', { name: u.username }) });
      options(role, C.ROLES, (r) => label('role', r), { selected: u.role });
      role.value = u.role;
      const self = u.username === session.account.username;
      return el('tr', { dataset: { user: u.username } },
        el('td', {}, u.username), el('td', {}, role), el('td', {}, bindings(u)),
        el('td', { class: 'row' },
          el('button', { type: 'button', class: 'secondary', onclick: async (e) => {
            const body = { role: role.value, shelters: u.shelters, team: u.team };
            if (await act(e.currentTarget, () => put(`/admin/users/${seg(u.username)}`, body))) {
              say(t('admin.updated', { name: u.username }), 'ok');
              await loadUsers();
            }
          } }, t('common.save')),
          el('button', { type: 'button', class: 'secondary', onclick: async (e) => {
            const r = await act(e.currentTarget, () => post(`/admin/users/${seg(u.username)}/revoke-sessions`));
            if (r) say(t('admin.revoked', { name: u.username, count: r.revoked }), 'ok');
          } }, t('admin.revoke')),
          self ? null : el('button', { type: 'button', class: 'danger', onclick: async (e) => {
            if (!window.confirm(t('admin.confirm_delete', { name: u.username }))) return;
            if (await act(e.currentTarget, () => del(`/admin/users/${seg(u.username)}`))) await loadUsers();
          } }, t('common.delete'))));
    }));
  }

  async function loadKeys() {
    const { keys } = await get('/admin/api-keys');
    clear($('#keys tbody'), keys.map((k) => el('tr', {},
      el('td', {}, k.name), el('td', {}, label('role', k.role)), el('td', {}, bindings(k)), el('td', {}, date(k.created_at)),
      el('td', {}, el('button', { type: 'button', class: 'danger', onclick: async (e) => {
        if (!window.confirm(t('admin.confirm_revoke_key', { name: k.name }))) return;
        if (await act(e.currentTarget, () => del(`/admin/api-keys/${seg(k.id)}`))) await loadKeys();
      } }, t('admin.revoke_key'))))));
  }

  $('#user-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const secret = password();
    const user = { username: $('#u-name').value.trim(), role: $('#u-role').value,
      shelters: list($('#u-shelters').value), team: $('#u-team').value.trim() };
    if (await act(e.submitter, () => post('/admin/users', { user, password: secret }))) {
      e.target.reset();
      showSecret($('#user-secret'), t('admin.password_once', { name: user.username }), secret);
      await loadUsers();
    }
  });

  $('#key-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const key = { name: $('#k-name').value.trim(), role: $('#k-role').value,
      shelters: list($('#k-shelters').value), team: $('#k-team').value.trim() };
    const answer = await act(e.submitter, () => post('/admin/api-keys', { key }));
    if (answer) {
      e.target.reset();
      showSecret($('#key-secret'), t('admin.key_once', { name: key.name }), answer.secret);
      await loadKeys();
    }
  });

  onChange(() => {
    fillForms();
    Promise.all([loadUsers(), loadKeys()]).catch(() => {});
  });
  fillForms();
  Promise.all([loadUsers(), loadKeys()]).catch(() => {});
}
