import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BadRequestException,
  ConflictException,
  Controller,
  ForbiddenException,
  Get,
  type HeraldApplication,
  HttpException,
  InternalServerErrorException,
  Module,
  NotFoundException,
  Param,
  PayloadTooLargeException,
  ServiceUnavailableException,
  TooManyRequestsException,
  UnauthorizedException,
} from 'herald';
import { memoryLogger, startApp } from './start-app.js';

const builtIns = {
  'bad-request': BadRequestException,
  unauthorized: UnauthorizedException,
  forbidden: ForbiddenException,
  'not-found': NotFoundException,
  conflict: ConflictException,
  'too-large': PayloadTooLargeException,
  'too-many': TooManyRequestsException,
  internal: InternalServerErrorException,
  unavailable: ServiceUnavailableException,
} as const;

@Controller('err')
class ErrorsController {
  @Get('builtin/:name')
  builtin(@Param('name') name: keyof typeof builtIns) {
    throw new builtIns[name]();
  }

  @Get('message')
  message() {
    throw new NotFoundException('No such task');
  }

  @Get('http-string')
  httpString() {
    throw new HttpException('Gone for good', 410);
  }

  @Get('http-object')
  async httpObject() {
    throw new HttpException(
      { statusCode: 422, message: ['a', 'b'], error: 'Nope', field: 'x' },
      422,
    );
  }

  @Get('unknown')
  unknown() {
    throw new Error('database password is hunter2');
  }

  @Get('rejected')
  async rejected() {
    await new Promise((r) => setTimeout(r, 1));
    throw new TypeError('secret internals');
  }

  @Get('non-error')
  nonError() {
    throw 'a string';
  }
}

@Module({ controllers: [ErrorsController] })
class AppModule {}

describe('errors answered as JSON', () => {
  let app: HeraldApplication;
  let url: string;
  const logger = memoryLogger();
  before(async () => {
    ({ app, url } = await startApp(AppModule, { logger }));
  });
  after(() => app.close());

  it('gives each built-in exception its status and { statusCode, message, error }', async () => {
    const expected: Record<string, [number, string]> = {
      'bad-request': [400, 'Bad Request'],
      unauthorized: [401, 'Unauthorized'],
      forbidden: [403, 'Forbidden'],
      'not-found': [404, 'Not Found'],
      conflict: [409, 'Conflict'],
      'too-large': [413, 'Payload Too Large'],
      'too-many': [429, 'Too Many Requests'],
      internal: [500, 'Internal Server Error'],
      unavailable: [503, 'Service Unavailable'],
    };
    for (const [name, [status, text]] of Object.entries(expected)) {
      const res = await fetch(`${url}/err/builtin/${name}`);
      assert.equal(res.status, status, name);
      assert.deepEqual(await res.json(), { statusCode: status, message: text, error: text });
    }
  });

  it('uses a given message, keeping the status text as error', async () => {
    const res = await fetch(`${url}/err/message`);
    assert.deepEqual(await res.json(), {
      statusCode: 404,
      message: 'No such task',
      error: 'Not Found',
    });
  });

  it('answers HttpException with a string or a whole object body', async () => {
    const s = await fetch(`${url}/err/http-string`);
    assert.equal(s.status, 410);
    assert.deepEqual(await s.json(), { statusCode: 410, message: 'Gone for good', error: 'Gone' });
    const o = await fetch(`${url}/err/http-object`);
    assert.equal(o.status, 422);
    assert.deepEqual(await o.json(), {
      statusCode: 422,
      message: ['a', 'b'],
      error: 'Nope',
      field: 'x',
    });
  });

  it('answers an unknown error 500 without its message, and logs it', async () => {
    logger.lines.length = 0;
    for (const path of ['unknown', 'rejected', 'non-error']) {
      const res = await fetch(`${url}/err/${path}`);
      assert.equal(res.status, 500);
      const text = await res.text();
      assert.deepEqual(JSON.parse(text), { statusCode: 500, message: 'Internal server error' });
      assert.doesNotMatch(text, /hunter2|secret|a string/);
    }
    const logged = logger.lines.filter((l) => l.level === 'error').flatMap((l) => l.args);
    assert.ok(logged.some((a) => a instanceof Error && a.message.includes('hunter2')));
    assert.ok(logged.some((a) => a instanceof TypeError));
    assert.ok(logged.includes('a string'));
  });

  it('keeps serving after errors', async () => {
    assert.equal((await fetch(`${url}/err/message`)).status, 404);
  });

  it('exposes status and response on the exception', () => {
    const e = new ConflictException('Taken', { cause: new Error('dup key') });
    assert.equal(e.getStatus(), 409);
    assert.deepEqual(e.getResponse(), { message: 'Taken', error: 'Conflict' });
    assert.equal(e.message, 'Taken');
    assert.equal(e.name, 'ConflictException');
    assert.ok(e instanceof HttpException);
    assert.equal((e.cause as Error).message, 'dup key');
  });
});
