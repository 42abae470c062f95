// The home page: the public directory, and the signed-in account's own page.
import { HOME } from './api.js';
import { $, boot } from './ui.js';

const page = await boot({ open: true });
if (page && page.session) {
  $('#home-mine').hidden = false;
  $('#home-mine-link').href = HOME[page.session.account.role] || '/';
  $('#home-signin').hidden = true;
}
