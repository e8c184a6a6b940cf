import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SseServer } from '#herald/connection/index.js';
import { interval, map, of, take } from 'rxjs';
import { rawGet } from '../support/raw-client.js';
import { startServer, type TestServer } from '../support/http-server.js';

describe('body framing', () => {
  let server: TestServer;
  const sse = new SseServer({ heartbeat: false });

  before(async () => {
    server = await startServer((req, res) => {
      if (req.url === '/ticks') {
        const ticks = interval(5).pipe(
          take(3),
          map((n) => ({ data: `tick ${n}` })),
        );
        return sse.open(req, res, ticks);
      }
      sse.open(req, res, of({ data: 'a' }, { data: 'b' }));
    });
  });
  after(() => server.close());

  it('chunks an HTTP/1.1 body, as its head says', async () => {
    const client = await rawGet(server.url, '/ticks');
    await client.waitFor('\r\n0\r\n\r\n');
    const [head, body] = client.received().split('\r\n\r\n', 2);
    assert.match(head!, /\r\ntransfer-encoding: chunked/i);
    assert.match(body!, /^[0-9a-f]+\r\ndata: tick 0\n\n\r\n/);
    client.socket.destroy();
  });

  it('never chunks an HTTP/1.0 body, even when the request offers `TE: chunked`', async () => {
    const client = await rawGet(server.url, '/ticks', {
      version: '1.0',
      headers: { TE: 'chunked' },
    });
    await client.ended;
    const [head, body] = client.received().split('\r\n\r\n');
    assert.doesNotMatch(head!, /transfer-encoding/i);
    assert.equal(body, 'data: tick 0\n\ndata: tick 1\n\ndata: tick 2\n\n');
  });

  it('frames a stream written through its response (a pipelined request) like one on the socket', async () => {
    const { port } = new URL(server.url);
    const socket = net.connect(Number(port), '127.0.0.1');
    let text = '';
    socket.on('data', (c: Buffer) => {
      text += c.toString('latin1');
    });
    // The second response has no socket yet when its stream opens: Node holds it until the first ends.
    socket.write('GET /ticks HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n');
    const end = Date.now() + 5000;
    while ((text.match(/\r\n0\r\n\r\n/g)?.length ?? 0) < 2 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 5));
    }
    socket.destroy();
    const answers = text.split(/(?=HTTP\/1\.1 200 OK\r\n)/);
    assert.equal(answers.length, 2, text);
    const body = (answer: string) =>
      answer
        .slice(answer.indexOf('\r\n\r\n') + 4)
        .replace(/(^|\r\n)[0-9a-f]+\r\n/g, '')
        .replace(/\r\n$/, '');
    assert.equal(body(answers[0]!), 'data: tick 0\n\ndata: tick 1\n\ndata: tick 2\n\n');
    assert.equal(body(answers[1]!), 'data: a\n\ndata: b\n\n');
  });
});
