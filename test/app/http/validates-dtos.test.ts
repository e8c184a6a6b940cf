import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Type } from 'class-transformer';
import { IsEmail, IsInt, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import {
  Body,
  Controller,
  Get,
  type HeraldApplication,
  type MessageEvent,
  Module,
  Post,
  Query,
  Sse,
} from 'herald';
import { Observable } from 'rxjs';
import { sse } from 'herald/testing';
import { startApp } from './start-app.js';

/** As in seed 001. */
class SseQueryDto {
  @IsEmail()
  email!: string;
}

class PageQueryDto {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  describe() {
    return `limit ${this.limit}`;
  }
}

class AddressDto {
  @IsString()
  city!: string;
}

class CreateUserDto {
  @IsString()
  name!: string;

  @ValidateNested()
  @Type(() => AddressDto)
  address!: AddressDto;
}

let subscribed = 0;

@Controller()
class DtoController {
  @Sse('verified')
  verified(@Query() query: SseQueryDto): Observable<MessageEvent> {
    subscribed++;
    return new Observable((sub) => {
      sub.next({ data: { email: query.email, isDto: query instanceof SseQueryDto } });
      sub.complete();
    });
  }

  @Get('page')
  page(@Query() query: PageQueryDto) {
    return { text: query.describe(), type: typeof query.limit };
  }

  @Post('users')
  create(@Body() user: CreateUserDto) {
    return { isDto: user instanceof CreateUserDto, city: user.address.city };
  }

  @Get('plain')
  plain(@Query('n') n: number, @Query() q: object) {
    return { n, q };
  }
}

@Module({ controllers: [DtoController] })
class AppModule {}

describe('DTO parameters', () => {
  let app: HeraldApplication;
  let url: string;
  before(async () => {
    ({ app, url } = await startApp(AppModule));
  });
  after(() => app.close());

  it('transforms a query into the DTO class, converting types implicitly', async () => {
    assert.deepEqual(await (await fetch(`${url}/page?limit=10`)).json(), {
      text: 'limit 10',
      type: 'number',
    });
    assert.deepEqual(await (await fetch(`${url}/page`)).json(), {
      text: 'limit undefined',
      type: 'undefined',
    });
  });

  it('answers 400 listing every failed constraint', async () => {
    const res = await fetch(`${url}/page?limit=1000`);
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), {
      statusCode: 400,
      message: ['limit must not be greater than 100'],
      error: 'Bad Request',
    });
  });

  it('validates nested body DTOs, naming the nested path', async () => {
    const post = (body: unknown) =>
      fetch(`${url}/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const ok = await post({ name: 'Ada', address: { city: 'London' } });
    assert.deepEqual(await ok.json(), { isDto: true, city: 'London' });
    const bad = await post({ name: 3, address: { city: 4 } });
    assert.equal(bad.status, 400);
    assert.deepEqual((await bad.json()).message, [
      'name must be a string',
      'address.city must be a string',
    ]);
    const empty = await fetch(`${url}/users`, { method: 'POST' });
    assert.equal(empty.status, 400);
  });

  it("streams the seed's @Query() SseQueryDto when it validates", async () => {
    const stream = await sse(app, '/verified', { query: { email: 'ada@example.com' }, json: true });
    assert.equal(stream.status, 200);
    assert.equal(stream.headers.get('content-type'), 'text/event-stream');
    assert.deepEqual(await stream.all(), [
      { type: 'message', data: { email: 'ada@example.com', isDto: true }, id: '' },
    ]);
  });

  it('answers an @Sse route 400 as JSON before any stream byte, without calling the handler', async () => {
    const before = subscribed;
    const stream = await sse(app, '/verified', { query: { email: 'nope' } });
    assert.equal(stream.status, 400);
    assert.match(stream.headers.get('content-type') ?? '', /^application\/json/);
    // The whole body is this JSON: no stream byte went out.
    assert.deepEqual(stream.body, {
      statusCode: 400,
      message: ['email must be an email'],
      error: 'Bad Request',
    });
    assert.equal(subscribed, before);
  });

  it('leaves String/Number/Object parameters untouched', async () => {
    assert.deepEqual(await (await fetch(`${url}/plain?n=5&x=y`)).json(), {
      n: '5',
      q: { n: '5', x: 'y' },
    });
  });
});
