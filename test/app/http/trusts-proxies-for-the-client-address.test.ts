import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Controller,
  Get,
  type HeraldApplicationOptions,
  type HeraldRequest,
  type MessageEvent,
  Module,
  Req,
  Sse,
} from 'herald';
import { sse } from 'herald/testing';
import { NEVER, type Observable } from 'rxjs';
import { startApp } from './start-app.js';

@Controller()
class ClientController {
  @Get('ip')
  ip(@Req() req: HeraldRequest) {
    return { ip: req.ip };
  }

  @Sse('open')
  open(): Observable<MessageEvent> {
    return NEVER;
  }
}

@Module({ controllers: [ClientController] })
class AppModule {}

const forwarded = (xff: string) => ({ headers: { 'x-forwarded-for': xff } });

async function ipSeen(options: HeraldApplicationOptions, xff: string): Promise<string> {
  const { app, url } = await startApp(AppModule, options);
  try {
    const res = await fetch(`${url}/ip`, forwarded(xff));
    return ((await res.json()) as { ip: string }).ip;
  } finally {
    await app.close();
  }
}

describe('trustProxy and request.ip', () => {
  it('is the socket address by default, whatever X-Forwarded-For says', async () => {
    assert.match(await ipSeen({}, '203.0.113.9'), /^(::ffff:)?127\.0\.0\.1$/);
  });

  it("honours true, a hop count and a list of proxies, as Express's trust proxy", async () => {
    const chain = '198.51.100.1, 203.0.113.7';
    assert.equal(await ipSeen({ trustProxy: true }, chain), '198.51.100.1');
    assert.equal(await ipSeen({ trustProxy: 1 }, chain), '203.0.113.7');
    assert.equal(await ipSeen({ trustProxy: 2 }, chain), '198.51.100.1');
    assert.equal(
      await ipSeen({ trustProxy: ['127.0.0.1/8', '203.0.113.0/24'] }, chain),
      '198.51.100.1',
    );
    assert.equal(await ipSeen({ trustProxy: 'loopback' }, chain), '203.0.113.7');
    assert.match(await ipSeen({ trustProxy: ['10.0.0.0/8'] }, chain), /127\.0\.0\.1$/);
  });

  it('refuses a malformed proxy list at create()', async () => {
    await assert.rejects(startApp(AppModule, { trustProxy: ['not-an-ip'] }), {
      code: 'INVALID_MODULE',
      message: /trustProxy/,
    } as object);
  });

  for (const [label, options, secondClient] of [
    ['caps streams per forwarded client behind a trusted proxy', { trustProxy: 'loopback' }, 200],
    ['caps streams per socket address when no proxy is trusted', {}, 429],
  ] as const) {
    it(label, async () => {
      const { app, url } = await startApp(AppModule, {
        ...options,
        limits: { maxStreamsPerAddress: 1 },
      });
      const open: Array<{ close(): Promise<void> }> = [];
      try {
        const a1 = await sse(url, '/open', forwarded('198.51.100.1'));
        open.push(a1);
        assert.equal(a1.status, 200);
        const b1 = await sse(url, '/open', forwarded('198.51.100.2'));
        open.push(b1);
        assert.equal(b1.status, secondClient, 'another client behind the same proxy');
        const a2 = await sse(url, '/open', forwarded('198.51.100.1'));
        open.push(a2);
        assert.equal(a2.status, 429, 'the same client again');
        assert.equal(a2.headers.get('retry-after'), '5');
      } finally {
        await Promise.all(open.map((s) => s.close()));
        await app.close();
      }
    });
  }
});
