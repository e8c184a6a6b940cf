import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Body, Controller, type HeraldApplication, Module, Post } from 'herald';
import { rawRequest, startApp } from './start-app.js';

@Controller()
class EchoController {
  @Post('echo')
  echo(@Body() body: unknown) {
    if (Buffer.isBuffer(body)) return { buffer: body.toString('utf8') };
    return { body: body ?? null };
  }
}

@Module({ controllers: [EchoController] })
class AppModule {}

const LIMIT = 1024;

function chunkedPost(url: string, chunks: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe('request bodies', () => {
  let app: HeraldApplication;
  let url: string;
  before(async () => {
    ({ app, url } = await startApp(AppModule, { bodyLimit: LIMIT }));
  });
  after(() => app.close());

  const post = (body: string, type?: string) =>
    fetch(`${url}/echo`, {
      method: 'POST',
      headers: type ? { 'content-type': type } : {},
      body,
    });

  it('parses JSON, including +json types', async () => {
    assert.deepEqual(await (await post('{"a":[1,2]}', 'application/json')).json(), {
      body: { a: [1, 2] },
    });
    assert.deepEqual(await (await post('"x"', 'application/merge-patch+json')).json(), {
      body: 'x',
    });
  });

  it('parses URL-encoded forms, repeated keys as arrays', async () => {
    const res = await post('a=1&a=2&b=x+y', 'application/x-www-form-urlencoded; charset=utf-8');
    assert.deepEqual(await res.json(), { body: { a: ['1', '2'], b: 'x y' } });
  });

  it('leaves other content types as a Buffer, and no body as undefined', async () => {
    assert.deepEqual(await (await post('plain words', 'text/plain')).json(), {
      buffer: 'plain words',
    });
    assert.deepEqual(await (await fetch(`${url}/echo`, { method: 'POST' })).json(), {
      body: null,
    });
  });

  it('answers 400 to malformed JSON', async () => {
    const res = await post('{"a":', 'application/json');
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), {
      statusCode: 400,
      message: 'Malformed JSON body',
      error: 'Bad Request',
    });
  });

  it('answers 413 when Content-Length is past the limit, without reading the body', async () => {
    const big = JSON.stringify({ s: 'x'.repeat(LIMIT) });
    const res = await post(big, 'application/json');
    assert.equal(res.status, 413);
    assert.deepEqual(await res.json(), {
      statusCode: 413,
      message: `Request body larger than ${LIMIT} bytes`,
      error: 'Payload Too Large',
    });
  });

  it('answers 413 when a chunked body grows past the limit, and closes the connection', async () => {
    const got = await chunkedPost(url, ['{"s":"', 'x'.repeat(LIMIT), '"}']);
    assert.equal(got.status, 413);
    assert.equal(JSON.parse(got.body).statusCode, 413);
    const raw = await rawRequest(
      url,
      `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${(LIMIT + 10).toString(16)}\r\n${'y'.repeat(LIMIT + 10)}\r\n`,
    );
    assert.match(raw, /^HTTP\/1\.1 413 /);
    assert.match(raw, /connection: close/i);
  });

  it('accepts a body of exactly the limit', async () => {
    const exact = JSON.stringify({ s: 'x'.repeat(LIMIT - 8) });
    assert.equal(Buffer.byteLength(exact), LIMIT);
    assert.equal((await post(exact, 'application/json')).status, 201);
  });
});
