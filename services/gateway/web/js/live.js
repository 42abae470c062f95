// The live WebSocket (/api/v1/live). Messages are not replayed, so after every (re)connection the page
// reads its state again over REST (onSync), then applies events as they come (onEvent). A dropped
// connection is opened again after 1 s, 2 s, 4 s ... up to 30 s (with some jitter so that a hundred
// pages do not come back at the same instant). Close code 4001 means the session ended: sign in again.
import { goToSignIn } from './api.js';

const MAX_DELAY_MS = 30000;
const PING_MS = 25000;

export function connectLive({ topics, onEvent, onSync, onStatus = () => {} }) {
  let socket = null;
  let attempt = 0;
  let pingTimer = 0;
  let retryTimer = 0;
  let stopped = false;

  function schedule() {
    if (stopped) return;
    const base = Math.min(MAX_DELAY_MS, 1000 * 2 ** attempt);
    attempt += 1;
    onStatus('reconnecting');
    retryTimer = setTimeout(open, base / 2 + Math.random() * (base / 2));
  }

  function open() {
    if (stopped) return;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = new WebSocket(`${scheme}//${location.host}/api/v1/live?topics=${topics.join(',')}`);
    socket.addEventListener('message', (m) => {
      let message;
      try {
        message = JSON.parse(m.data);
      } catch {
        return;
      }
      if (message.type === 'hello') {
        attempt = 0;
        onStatus('live');
        Promise.resolve(onSync && onSync()).catch(() => {});
      } else if (message.type === 'event') {
        onEvent(message);
      }
    });
    socket.addEventListener('open', () => {
      clearInterval(pingTimer);
      pingTimer = setInterval(() => {
        if (socket.readyState === WebSocket.OPEN) socket.send('{"type":"ping"}');
      }, PING_MS);
    });
    socket.addEventListener('close', (e) => {
      clearInterval(pingTimer);
      if (e.code === 4001) {
        stopped = true;
        onStatus('ended');
        goToSignIn();
        return;
      }
      schedule();
    });
  }

  open();
  return {
    close() {
      stopped = true;
      clearTimeout(retryTimer);
      clearInterval(pingTimer);
      if (socket) socket.close(1000);
    },
  };
}
