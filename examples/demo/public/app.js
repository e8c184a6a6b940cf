// The Herald demo page: the browser's own EventSource on each route, and herald/client (plain ESM
// from the package's dist/, no bundler) on the one route that needs a header.
import { connect } from '/herald/client/index.js';

const $ = (selector) => document.querySelector(selector);
const STATES = ['connecting', 'open', 'closed'];
/** How long "Drop connection" stays disconnected (?drop=ms overrides, for tests). */
const DROP_MS = Number(new URLSearchParams(location.search).get('drop') ?? 3000);

// The protocol this page came over (h2 with HERALD_TLS=1, http/1.1 otherwise): over HTTP/2 every
// EventSource shares one connection, past the browser's six per origin.
const [navigation] = performance.getEntriesByType('navigation');
$('[data-testid="protocol"]').textContent = navigation?.nextHopProtocol || 'unknown';

/** Sets a stream's state badge: its text, and its colour by state (connecting, open, closed). */
function showState(name, state, text = state) {
  const badge = $(`[data-stream="${name}"]`);
  badge.textContent = text;
  badge.className = `state ${state}`;
}

/** Shows a line of text above a stream's panel; empty text hides it. */
function notice(name, text) {
  const p = $(`[data-notice="${name}"]`);
  p.hidden = !text;
  p.textContent = text;
}

/**
 * A `herald:gap` event: the server no longer has the events after the stream's Last-Event-ID (it
 * restarted with an empty history, or they aged out). Its id is the log's head, so the stream goes
 * on from now; what the list showed no longer follows on, so it is cleared.
 */
function showGap(name, list) {
  list.replaceChildren();
  notice(name, 'History no longer covers this stream (server restarted?): new events from here.');
}

/**
 * Opens an EventSource and keeps the stream's state badge in step with its readyState:
 * `error` fires both when the browser starts reconnecting (connecting) and when it gives up (closed).
 */
function watch(name, url, listen) {
  const es = new EventSource(url);
  const show = (e) => {
    const state = STATES[es.readyState];
    showState(name, state, e?.type === 'error' && state === 'connecting' ? 'reconnecting…' : state);
  };
  es.addEventListener('open', show);
  es.addEventListener('error', show);
  show();
  listen(es);
  return {
    es,
    close() {
      es.close();
      show();
    },
  };
}

function item(list, className, parts, limit = 30) {
  const li = document.createElement('li');
  li.className = className;
  for (const [cls, text] of parts) {
    const span = document.createElement('span');
    span.className = cls;
    span.textContent = text;
    li.append(span);
  }
  list.prepend(li);
  while (list.children.length > limit) list.lastElementChild.remove();
  return li;
}

// The footer's curl line names the server the page came from.
$('[data-testid="curl"]').textContent = `curl -N ${location.origin}/events`;

const withLastId = (url, id) =>
  id ? `${url}${url.includes('?') ? '&' : '?'}lastEventId=${encodeURIComponent(id)}` : url;

// Counter (/events): a fresh interval per connection (seed 003).
watch('events', '/events', (es) => {
  es.onmessage = (e) => {
    const { count, timestamp } = JSON.parse(e.data);
    $('[data-testid="count"]').textContent = count;
    $('[data-testid="timestamp"]').textContent = new Date(timestamp).toLocaleTimeString();
  };
});

// Notifications: typed events from the hub. Each carries a sequence number `n`, so the page can
// prove that a dropped and resumed connection missed nothing.
const notes = { lastId: '', lastN: 0, lastAt: 0, lastLocal: 0, resumedAt: 0 };
const counts = { received: 0, replayed: 0, missed: 0 };
let notifications = openNotifications('');

function showCounts() {
  for (const [key, value] of Object.entries(counts)) {
    $(`[data-testid="${key}"]`).textContent = value;
  }
}

function onNotification(e) {
  const note = JSON.parse(e.data);
  // The hub resumes by id, so `n` goes up by one; it starts again at 1 when the publisher restarts.
  if (notes.lastN > 0 && note.n > notes.lastN) counts.missed += note.n - notes.lastN - 1;
  const at = Date.parse(note.at);
  // Published before this connection resumed (server time, so clock skew does not matter).
  const replayed = notes.resumedAt > 0 && at < notes.resumedAt;
  if (replayed) counts.replayed += 1;
  counts.received += 1;
  Object.assign(notes, { lastId: e.lastEventId, lastN: note.n, lastAt: at, lastLocal: Date.now() });
  const kind = e.type; // the event's type, dispatched by the browser: message, update or alert
  item($('[data-testid="feed"]'), `${kind}${replayed ? ' replayed' : ''}`, [
    ['kind', replayed ? `${kind} ↺` : kind],
    ['text', note.message],
    ['n', `#${note.n}`],
  ]);
  showCounts();
}

function openNotifications(lastId) {
  return watch('notifications', withLastId('/notifications', lastId), (es) => {
    es.addEventListener('message', onNotification);
    es.addEventListener('update', onNotification);
    es.addEventListener('alert', onNotification);
    es.addEventListener('herald:gap', (e) => {
      Object.assign(notes, { lastId: e.lastEventId, lastN: 0 });
      showGap('notifications', $('[data-testid="feed"]'));
    });
  });
}

$('[data-testid="drop"]').addEventListener('click', (e) => {
  const button = e.currentTarget;
  notifications.close();
  button.disabled = true;
  const seconds = (DROP_MS / 1000).toFixed(1);
  notice(
    'notifications',
    `Dropped. Reconnecting in ${seconds} s from id ${notes.lastId || '(none)'}…`,
  );
  setTimeout(() => {
    // Server time now, estimated from the last event: anything older was missed while dropped.
    notes.resumedAt = notes.lastAt + (Date.now() - notes.lastLocal);
    notifications = openNotifications(notes.lastId);
    notifications.es.addEventListener('open', () => notice('notifications', ''), {
      once: true,
    });
    button.disabled = false;
  }, DROP_MS);
});

// Secure feed: the notifications topic behind `Authorization: Bearer`, which EventSource cannot
// send. herald/client reconnects with Last-Event-ID and backoff like EventSource, over fetch.
async function followSecure() {
  const stream = connect('/secure/notifications', {
    headers: { authorization: 'Bearer demo-token' },
    json: true,
  });
  showState('secure', 'connecting');
  stream.onOpen(() => showState('secure', 'open'));
  stream.onError((error) =>
    error.fatal
      ? showState('secure', 'closed')
      : showState('secure', 'connecting', 'reconnecting…'),
  );
  try {
    for await (const e of stream) {
      if (e.type === 'herald:gap') {
        showGap('secure', $('[data-testid="secure-feed"]'));
        continue;
      }
      item($('[data-testid="secure-feed"]'), e.type, [
        ['kind', e.type],
        ['text', e.data.message ?? ''],
        ['n', e.data.n ? `#${e.data.n}` : ''],
      ]);
    }
  } catch {
    // A fatal error (e.g. 401): the badge already says closed.
  }
}
followSecure();

// Verification (seed 001 through the hub): the stream for one e-mail; POST /verify emits.
const verified = { email: '', stream: null, lastId: '' };

function openVerified(email, lastId) {
  verified.stream?.close();
  verified.email = email;
  $('[data-testid="watching"]').textContent = email;
  verified.stream = watch(
    'verified',
    withLastId(`/verified?email=${encodeURIComponent(email)}`, lastId),
    (es) => {
      es.onmessage = (e) => {
        verified.lastId = e.lastEventId;
        const { email: who, isVerifiedFilter } = JSON.parse(e.data);
        item($('[data-testid="verified"]'), isVerifiedFilter ? 'update' : 'alert', [
          ['kind', isVerifiedFilter ? 'verified' : 'rejected'],
          ['text', who],
          ['n', new Date().toLocaleTimeString()],
        ]);
      };
      es.addEventListener('herald:gap', (e) => {
        verified.lastId = e.lastEventId;
        showGap('verified', $('[data-testid="verified"]'));
      });
    },
  );
  return new Promise((resolve) =>
    verified.stream.es.addEventListener('open', resolve, { once: true }),
  );
}

$('[data-testid="verify-form"]').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = new FormData(e.currentTarget);
  const email = String(form.get('email'));
  if (email !== verified.email || verified.stream.es.readyState === EventSource.CLOSED) {
    await openVerified(email, '');
  }
  await fetch('/verify', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, isVerified: form.get('isVerified') === 'on' }),
  });
});

$('[data-testid="drop-verified"]').addEventListener('click', () => {
  if (!verified.stream) return;
  verified.stream.close();
  setTimeout(() => openVerified(verified.email, verified.lastId), DROP_MS);
});

// Tasks (seed 003): one progress stream per task; it ends at 100. Browsers allow six HTTP/1.1
// connections per host; the page holds up to five streams (four panels and the dashboard), so one
// task stream runs and the rest wait (with the verify stream open too, a fetch() made while a task
// runs waits for it: HTTP/2 would lift this).
const MAX_TASK_STREAMS = 1;
const taskQueue = [];
let taskStreams = 0;

function followTask(id, li) {
  if (taskStreams >= MAX_TASK_STREAMS) {
    taskQueue.push(() => followTask(id, li));
    return;
  }
  taskStreams += 1;
  li.classList.remove('queued');
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    taskStreams -= 1;
    taskQueue.shift()?.();
  };
  const task = watch(`task-${id}`, `/tasks/${id}/progress`, (es) => {
    es.onmessage = (e) => {
      const { progress } = JSON.parse(e.data);
      li.querySelector('.bar > div').style.width = `${progress}%`;
      li.querySelector('.pct').textContent = `${progress}%`;
      if (progress < 100) return;
      li.classList.add('done');
      task.close();
      release();
    };
    // A 404 or 204 (unknown or finished task, e.g. after a server restart) closes it for good.
    es.addEventListener('error', () => es.readyState === EventSource.CLOSED && release());
  });
}

$('[data-testid="start-task"]').addEventListener('click', async () => {
  const res = await fetch('/tasks', { method: 'POST' });
  if (!res.ok) return;
  const { id } = await res.json();
  const li = document.createElement('li');
  li.className = 'queued';
  li.innerHTML = `<code></code><div class="bar"><div></div></div><span class="pct">queued</span>
    <span class="state">idle</span>`;
  li.querySelector('code').textContent = id.slice(0, 8);
  li.querySelector('.state').dataset.stream = `task-${id}`;
  $('[data-testid="task-list"]').prepend(li);
  followTask(id, li);
});

// Hub stats, polled.
async function refreshStats() {
  try {
    const stats = await (await fetch('/stats')).json();
    const rows = [
      ['subscribers', stats.subscribers],
      ...Object.entries(stats.topics).map(([topic, n]) => [`  on ${topic}`, n]),
      ['published', stats.published],
      ['delivered', stats.delivered],
      ['replayed', stats.replayed],
      ['gaps', stats.gaps],
      ['dropped connections', stats.droppedConnections],
    ];
    const dl = $('[data-testid="stats"]');
    dl.replaceChildren(
      ...rows.flatMap(([k, v]) => {
        const dt = document.createElement('dt');
        const dd = document.createElement('dd');
        dt.textContent = k;
        dd.textContent = v;
        return [dt, dd];
      }),
    );
  } catch {
    // The server is down or restarting; the stream badges already say so.
  }
}
refreshStats();
setInterval(refreshStats, 1000);
