import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HeraldFactory, Module } from 'herald';

@Module({})
class AppModule {}

async function refusal(options: unknown): Promise<{ code: string; message: string }> {
  try {
    await HeraldFactory.create(AppModule, options as never);
  } catch (err) {
    return err as { code: string; message: string };
  }
  assert.fail(`accepted ${JSON.stringify(options)}`);
}

describe('HeraldFactory.create() options', () => {
  it('refuses an unknown key, naming the likely intended one', async () => {
    for (const [options, expected] of [
      [{ limts: {} }, 'Unknown option limts: did you mean limits?'],
      [{ trustproxy: true }, 'Unknown option trustproxy: did you mean trustProxy?'],
      [{ 'trust proxy': 1 }, 'Unknown option trust proxy: did you mean trustProxy?'],
      [{ acessLog: true }, 'Unknown option acessLog: did you mean accessLog?'],
      [{ banana: 1 }, 'Unknown option banana'],
    ] as const) {
      const err = await refusal({ logger: false, ...options });
      assert.equal(err.code, 'INVALID_MODULE');
      assert.equal(err.message, expected);
    }
  });

  it('refuses unknown keys inside its option objects', async () => {
    const cases = [
      [
        { limits: { maxStreamPerAddress: 5 } },
        /limits\.maxStreamPerAddress: did you mean maxStreamsPerAddress\?/,
      ],
      [{ sse: { hearbeat: 1000 } }, /sse\.hearbeat: did you mean heartbeat\?/],
      [{ server: { headerTimeout: 1 } }, /server\.headerTimeout: did you mean headersTimeout\?/],
      [{ shutdown: { timout: 1 } }, /shutdown\.timout: did you mean timeout\?/],
      [{ cors: { origins: ['x'] } }, /cors\.origins: did you mean origin\?/],
      [{ validation: { whiteList: true } }, /validation\.whiteList: did you mean whitelist\?/],
    ] as const;
    for (const [options, expected] of cases) {
      const err = await refusal(options);
      assert.equal(err.code, 'INVALID_MODULE');
      assert.match(err.message, expected);
    }
  });

  it('says what to do instead of NestJS options Herald does not support', async () => {
    assert.match((await refusal({ httpsOptions: {} })).message, /Herald's option is https/);
    assert.match(
      (await refusal({ http2: { maxConcurentStreams: 10 } })).message,
      /Unknown option http2\.maxConcurentStreams: did you mean maxConcurrentStreams\?/,
    );
    assert.match((await refusal({ bodyParser: false })).message, /bodyLimit/);
    assert.match((await refusal({ logger: ['error', 'warn'] })).message, /log-level arrays/);
    assert.match(
      (await refusal({ validation: { forbidNonWhitelisted: true } })).message,
      /whitelist: true/,
    );
  });

  it('accepts every documented option', async () => {
    const app = await HeraldFactory.create(AppModule, {
      logger: false,
      cors: { origin: true },
      bodyLimit: 1000,
      sse: { heartbeat: false },
      limits: { maxStreams: 10 },
      server: { headersTimeout: 5000 },
      shutdown: { retry: 100 },
      overrides: [],
      trustProxy: 'loopback',
      validation: { whitelist: true, forbidNonWhitelisted: true, transform: false },
      accessLog: () => undefined,
      logRoutes: true,
    });
    await app.close();
  });
});
