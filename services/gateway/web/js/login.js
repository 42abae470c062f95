// Sign-in: the account's page opens afterwards (or the page that sent the person here). The password
// is sent once to the gateway and never kept by the page.
import { HOME, signIn } from './api.js';
import { t } from './i18n.js';
import { $, boot } from './ui.js';

$('#login').addEventListener('submit', async (e) => {
  e.preventDefault();
  const error = $('#login-error');
  const button = e.submitter;
  error.hidden = true;
  const username = $('#username').value.trim();
  const password = $('#password').value;
  if (!username || !password) {
    error.textContent = t('login.missing');
    error.hidden = false;
    return;
  }
  button.disabled = true;
  try {
    const session = await signIn(username, password);
    $('#password').value = '';
    const next = new URLSearchParams(location.search).get('next');
    // Only a path of this site: never an address elsewhere.
    const safe = next && next.startsWith('/') && !next.startsWith('//') ? next : null;
    location.assign(safe || HOME[session.account.role] || '/');
  } catch (err) {
    error.textContent = err.status === 401 ? t('login.wrong') : err.status === 429 ? t('login.too_many') : err.text();
    error.hidden = false;
    $('#password').focus();
  } finally {
    button.disabled = false;
  }
});

// After the handler is in place: a form sent before it would go out as a plain GET, the password in the address.
await boot({ open: true });
