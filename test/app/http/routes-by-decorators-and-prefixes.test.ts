import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Module,
  Param,
  Patch,
  Post,
  Put,
  type HeraldApplication,
} from 'herald';
import { startApp } from './start-app.js';

@Controller('items')
class ItemsController {
  @Get()
  list() {
    return [{ id: 1 }];
  }

  @Get(':id')
  one(@Param('id') id: string) {
    return { id };
  }

  @Post()
  create() {
    return { created: true };
  }

  @Post('import')
  @HttpCode(202)
  bulk() {
    return { accepted: true };
  }

  @Put(':id')
  replace() {
    return 'replaced';
  }

  @Patch(':id')
  update() {
    return undefined;
  }

  @Delete(':id')
  @HttpCode(204)
  remove() {}
}

@Controller()
class RootController {
  @Get()
  home() {
    return 'home';
  }

  @Get(['ping', 'health'])
  @Header('Cache-Control', 'no-store')
  @Header('X-Service', 'herald')
  ping() {
    return { ok: true };
  }

  @Get('bytes')
  bytes() {
    return Buffer.from([1, 2, 3]);
  }
}

@Controller('/nested/deep/')
class NestedController {
  @Get('/leaf/')
  leaf() {
    return 'leaf';
  }
}

@Module({ controllers: [ItemsController, RootController, NestedController] })
class AppModule {}

describe('routes declared with decorators', () => {
  let app: HeraldApplication;
  let url: string;
  before(async () => {
    ({ app, url } = await startApp(AppModule));
  });
  after(() => app.close());

  it('joins the controller prefix and the method path', async () => {
    const res = await fetch(`${url}/items`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^application\/json/);
    assert.deepEqual(await res.json(), [{ id: 1 }]);
    assert.deepEqual(await (await fetch(`${url}/items/42`)).json(), { id: '42' });
    assert.equal(await (await fetch(`${url}/nested/deep/leaf`)).text(), 'leaf');
  });

  it('routes the empty prefix and path to /', async () => {
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^text\/plain/);
    assert.equal(await res.text(), 'home');
  });

  it('ignores a trailing slash', async () => {
    assert.equal((await fetch(`${url}/items/`)).status, 200);
  });

  it('registers every path of an array', async () => {
    assert.deepEqual(await (await fetch(`${url}/ping`)).json(), { ok: true });
    assert.deepEqual(await (await fetch(`${url}/health`)).json(), { ok: true });
  });

  it('routes each HTTP method to its own handler', async () => {
    assert.equal(await (await fetch(`${url}/items/1`, { method: 'PUT' })).text(), 'replaced');
    const patched = await fetch(`${url}/items/1`, { method: 'PATCH' });
    assert.equal(patched.status, 200);
    assert.equal(await patched.text(), '');
    const deleted = await fetch(`${url}/items/1`, { method: 'DELETE' });
    assert.equal(deleted.status, 204);
  });

  it('answers POST with 201 by default, and @HttpCode overrides it', async () => {
    const created = await fetch(`${url}/items`, { method: 'POST' });
    assert.equal(created.status, 201);
    assert.deepEqual(await created.json(), { created: true });
    const accepted = await fetch(`${url}/items/import`, { method: 'POST' });
    assert.equal(accepted.status, 202);
    await accepted.body?.cancel();
  });

  it('adds @Header headers', async () => {
    const res = await fetch(`${url}/ping`);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('x-service'), 'herald');
    await res.body?.cancel();
  });

  it('sends a Buffer as application/octet-stream', async () => {
    const res = await fetch(`${url}/bytes`);
    assert.equal(res.headers.get('content-type'), 'application/octet-stream');
    assert.deepEqual([...new Uint8Array(await res.arrayBuffer())], [1, 2, 3]);
  });

  it('answers an unknown route 404 with the NestJS body', async () => {
    const res = await fetch(`${url}/nope?x=1`);
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), {
      statusCode: 404,
      message: 'Cannot GET /nope',
      error: 'Not Found',
    });
    const wrongMethod = await fetch(`${url}/ping`, { method: 'POST' });
    assert.equal(wrongMethod.status, 404);
    assert.equal((await wrongMethod.json()).message, 'Cannot POST /ping');
  });

  it('answers HEAD on GET routes with headers and no body', async () => {
    const res = await fetch(`${url}/items`, { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^application\/json/);
    assert.equal(await res.text(), '');
  });

  it('answers OPTIONS with the allowed methods of a path', async () => {
    const res = await fetch(`${url}/items/7`, { method: 'OPTIONS' });
    assert.equal(res.status, 204);
    assert.deepEqual(res.headers.get('allow')!.split(', ').sort(), [
      'DELETE',
      'GET',
      'HEAD',
      'OPTIONS',
      'PATCH',
      'PUT',
    ]);
    assert.equal((await fetch(`${url}/nope`, { method: 'OPTIONS' })).status, 404);
  });
});

describe('route registration errors', () => {
  it('fails the app start on a duplicate method and path, naming both handlers', async () => {
    @Controller('dup')
    class First {
      @Get(':id')
      a() {}
    }
    @Controller('dup')
    class Second {
      @Get(':id')
      b() {}
    }
    @Module({ controllers: [First, Second] })
    class Duplicated {}
    await assert.rejects(startApp(Duplicated), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'INVALID_MODULE');
      assert.match(err.message, /GET \/dup\/:id \(Second\.b\)/);
      return true;
    });
  });

  it('fails the app start on a controller without @Controller()', async () => {
    class Bare {}
    @Module({ controllers: [Bare] })
    class WithBare {}
    await assert.rejects(
      startApp(WithBare),
      /Bare is listed in controllers but has no @Controller/,
    );
  });
});
