// The chat panel: each answer is a Herald run. POST /chat/:id starts it and streams it; if the
// stream breaks, herald/client resumes it with GET and Last-Event-ID (resumeUrl). The words shown
// and the last event id are saved together in sessionStorage after every word, so a reload
// restores the text and resumes right after it: no word repeated, none missing.
import { connect } from '/herald/client/index.js';

const $ = (selector) => document.querySelector(selector);
const KEY = 'herald-demo-chat';
const answer = $('[data-testid="answer"]');
const cancel = $('[data-testid="chat-cancel"]');
let current = null;

function showStatus(text, state) {
  const badge = $('[data-testid="chat-status"]');
  badge.textContent = text;
  badge.className = `state ${state}`;
}

/** Follows run `run.id` from `run.lastId` (empty: from its start), appending to `run.text`. */
async function follow(run, init) {
  current?.close();
  const url = `/chat/${encodeURIComponent(run.id)}`;
  $('[data-testid="chat-prompt"]').textContent = run.prompt ?? '';
  answer.textContent = run.text;
  const link = $('[data-testid="chat-follow"]');
  link.href = `/chat.html?run=${encodeURIComponent(run.id)}`;
  link.hidden = false;
  const stream = connect(url, {
    json: true,
    resumeUrl: url,
    retry: { initial: 500, max: 5000 },
    ...(run.lastId ? { lastEventId: run.lastId } : {}),
    ...init,
  });
  current = stream;
  showStatus('connecting', 'connecting');
  cancel.disabled = false;
  stream.onOpen(() => showStatus('streaming', 'open'));
  stream.onError((error) => {
    if (error.fatal) showStatus(error.status === 404 ? 'expired' : 'error', 'closed');
    else showStatus('reconnecting…', 'connecting');
  });
  try {
    for await (const e of stream) {
      if (e.type === 'token') {
        run.text += (run.text ? ' ' : '') + e.data.word;
        run.lastId = e.id;
        answer.textContent = run.text;
        if (run.own) sessionStorage.setItem(KEY, JSON.stringify(run));
      } else if (e.type === 'herald:end') {
        showStatus(e.data.status, e.data.status === 'done' ? 'open' : 'closed');
        run.lastId = e.id;
        run.ended = e.data.status;
        if (run.own) sessionStorage.setItem(KEY, JSON.stringify(run));
      }
    }
  } catch {
    // A fatal error: the badge says so.
  }
  if (current === stream) cancel.disabled = true;
}

$('[data-testid="chat-form"]').addEventListener('submit', (e) => {
  e.preventDefault();
  const prompt = String(new FormData(e.currentTarget).get('prompt'));
  const run = { id: crypto.randomUUID(), prompt, text: '', lastId: '', own: true };
  sessionStorage.setItem(KEY, JSON.stringify(run));
  follow(run, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ prompt }),
  });
});

cancel.addEventListener('click', async () => {
  const run = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
  const id = new URLSearchParams(location.search).get('run') ?? run?.id;
  if (id) await fetch(`/chat/${encodeURIComponent(id)}`, { method: 'DELETE' });
});

// A follow link (?run=id) reads the answer from its start; otherwise this tab's own answer, if it
// has one, is restored and resumed after its last word.
const followed = new URLSearchParams(location.search).get('run');
const saved = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
if (followed) follow({ id: followed, text: '', lastId: '', own: false });
else if (saved) {
  $('[data-testid="chat-prompt"]').textContent = saved.prompt;
  if (saved.ended) {
    answer.textContent = saved.text;
    showStatus(saved.ended, saved.ended === 'done' ? 'open' : 'closed');
  } else follow(saved);
}
