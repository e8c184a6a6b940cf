import http from 'node:http';
import { Hub } from 'herald/hub';
import { SseServer } from 'herald/sse';

/**
 * Herald's own `node:http` engine (what `HeraldFactory` apps stream through), run on Bun by the
 * test next to it. `/hub` streams a Hub topic; `/pull` a generator of 10 KB events that counts how
 * many it was asked for, so the test can see whether a client that stops reading paces it.
 */
const hub = new Hub();
const sse = new SseServer({ heartbeat: false });
let pulled = 0;
const big = 'b'.repeat(10_000);

function* pull(): Generator<{ data: string }> {
  for (;;) {
    pulled++;
    yield { data: big };
  }
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/hub') await sse.open(req, res, hub.subscribe('news'));
  else if (url.pathname === '/pull') sse.open(req, res, pull());
  else if (url.pathname === '/publish') {
    for (let i = 0; i < 20; i++) await hub.publish('news', { data: `line ${i}\nnext ${i}` });
    res.end(JSON.stringify({ subscribers: hub.stats().subscribers }));
  } else res.end(JSON.stringify({ pulled }));
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`READY ${typeof address === 'object' && address !== null ? address.port : 0}`);
});
