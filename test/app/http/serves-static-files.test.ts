import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Controller, Get, type HeraldApplication, Module } from 'herald';
import { rawRequest, startApp } from './start-app.js';

@Controller()
class ApiController {
  @Get('app.js')
  shadowed() {
    return 'from the route';
  }
}

@Module({ controllers: [ApiController] })
class AppModule {}

describe('static files', () => {
  let app: HeraldApplication;
  let url: string;
  let root: string;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'herald-static-'));
    const pub = join(root, 'public');
    mkdirSync(join(pub, 'css'), { recursive: true });
    writeFileSync(join(pub, 'index.html'), '<h1>demo</h1>');
    writeFileSync(join(pub, 'app.js'), 'console.log(1)');
    writeFileSync(join(pub, 'css', 'site.css'), 'body{}');
    writeFileSync(join(pub, '.env'), 'SECRET=1');
    writeFileSync(join(root, 'secret.txt'), 'outside');
    const assets = join(root, 'assets');
    mkdirSync(assets);
    writeFileSync(join(assets, 'logo.svg'), '<svg/>');
    ({ app, url } = await startApp(AppModule, {}, (a) => {
      a.useStaticAssets(pub);
      a.useStaticAssets(assets, { prefix: '/static' });
    }));
  });
  after(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves index.html at / and files by path with a content type', async () => {
    const index = await fetch(url);
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type')!, /text\/html/);
    assert.equal(await index.text(), '<h1>demo</h1>');
    const css = await fetch(`${url}/css/site.css`);
    assert.match(css.headers.get('content-type')!, /text\/css/);
    assert.equal(await css.text(), 'body{}');
  });

  it('serves under a prefix', async () => {
    assert.equal(await (await fetch(`${url}/static/logo.svg`)).text(), '<svg/>');
    assert.equal((await fetch(`${url}/logo.svg`)).status, 404);
  });

  it('lets a matching route win over a file', async () => {
    assert.equal(await (await fetch(`${url}/app.js`)).text(), 'from the route');
  });

  it('answers 404 JSON for a missing file and never serves dotfiles', async () => {
    const missing = await fetch(`${url}/nope.txt`);
    assert.equal(missing.status, 404);
    assert.equal((await missing.json()).message, 'Cannot GET /nope.txt');
    assert.equal((await fetch(`${url}/.env`)).status, 404);
  });

  it('never serves a file outside the directory', async () => {
    for (const path of [
      '/../secret.txt',
      '/css/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/static/../secret.txt',
      '/static/..%2f..%2fsecret.txt',
    ]) {
      const raw = await rawRequest(
        url,
        `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      );
      assert.doesNotMatch(raw, /outside/, path);
      assert.match(raw, /^HTTP\/1\.1 (400|404) /, path);
    }
  });
});
