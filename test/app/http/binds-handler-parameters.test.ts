import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Body,
  Controller,
  Get,
  Headers,
  type HeraldApplication,
  type HeraldRequest,
  LastEventId,
  Module,
  Param,
  Post,
  Query,
  Req,
} from 'herald';
import { startApp } from './start-app.js';

@Controller('p')
class ParamsController {
  @Get('query')
  query(@Query() all: Record<string, unknown>, @Query('tag') tag: string | string[]) {
    return { all, tag };
  }

  @Get('users/:userId/posts/:postId')
  param(@Param() all: Record<string, string>, @Param('postId') postId: string) {
    return { all, postId };
  }

  @Post('body')
  body(@Body() all: unknown, @Body('name') name: unknown) {
    return { all, name: name ?? null };
  }

  @Get('headers')
  headers(@Headers() all: Record<string, string>, @Headers('X-Trace-Id') trace: string) {
    return { host: typeof all.host, trace };
  }

  @Post('req/:id')
  req(@Req() req: HeraldRequest) {
    return {
      method: req.method,
      url: req.url,
      query: req.query,
      params: req.params,
      body: req.body,
    };
  }

  @Get('last-event-id')
  last(@LastEventId() id: string | undefined) {
    return { id: id ?? null };
  }
}

@Module({ controllers: [ParamsController] })
class AppModule {}

describe('handler parameters', () => {
  let app: HeraldApplication;
  let url: string;
  before(async () => {
    ({ app, url } = await startApp(AppModule));
  });
  after(() => app.close());

  const get = async (path: string, init?: RequestInit) => (await fetch(url + path, init)).json();

  it('@Query() gives the whole query, @Query(key) one value (arrays for repeats)', async () => {
    assert.deepEqual(await get('/p/query?a=1&tag=x&tag=y&e=%C3%A9'), {
      all: { a: '1', tag: ['x', 'y'], e: 'é' },
      tag: ['x', 'y'],
    });
    assert.deepEqual(await get('/p/query'), { all: {} });
  });

  it('@Param() gives decoded route parameters', async () => {
    assert.deepEqual(await get('/p/users/a%20b/posts/9'), {
      all: { userId: 'a b', postId: '9' },
      postId: '9',
    });
  });

  it('@Body() gives the parsed body, @Body(key) one property', async () => {
    const init = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ada', age: 36 }),
    };
    assert.deepEqual(await get('/p/body', init), { all: { name: 'Ada', age: 36 }, name: 'Ada' });
  });

  it('@Headers() gives all headers, @Headers(name) one, case-insensitively', async () => {
    assert.deepEqual(await get('/p/headers', { headers: { 'x-trace-id': 't-1' } }), {
      host: 'string',
      trace: 't-1',
    });
  });

  it('@Req() gives the request with query, params and body attached', async () => {
    const got = await get('/p/req/5?q=1', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1&b=2',
    });
    assert.deepEqual(got, {
      method: 'POST',
      url: '/p/req/5?q=1',
      query: { q: '1' },
      params: { id: '5' },
      body: { a: '1', b: '2' },
    });
  });

  it('@LastEventId() reads the Last-Event-ID header first, then ?lastEventId=', async () => {
    assert.deepEqual(await get('/p/last-event-id'), { id: null });
    assert.deepEqual(await get('/p/last-event-id?lastEventId=7'), { id: '7' });
    assert.deepEqual(await get('/p/last-event-id', { headers: { 'Last-Event-ID': '42' } }), {
      id: '42',
    });
    assert.deepEqual(
      await get('/p/last-event-id?lastEventId=7', { headers: { 'Last-Event-ID': '42' } }),
      { id: '42' },
    );
  });
});
