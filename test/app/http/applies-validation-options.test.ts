import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IsInt, IsOptional, IsString } from 'class-validator';
import { Body, Controller, type HeraldApplicationOptions, Module, Post, Query, Get } from 'herald';
import { startApp } from './start-app.js';

class CreateNoteDto {
  @IsString()
  title!: string;
}

class PageDto {
  @IsOptional()
  @IsInt()
  limit?: number;
}

@Controller()
class NotesController {
  @Post('notes')
  create(@Body() note: CreateNoteDto) {
    return { isDto: note instanceof CreateNoteDto, keys: Object.keys(note).sort() };
  }

  @Get('page')
  page(@Query() page: PageDto) {
    return { isDto: page instanceof PageDto, limit: page.limit };
  }
}

@Module({ controllers: [NotesController] })
class AppModule {}

async function post(options: HeraldApplicationOptions, body: unknown) {
  const { app, url } = await startApp(AppModule, options);
  try {
    const res = await fetch(`${url}/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  } finally {
    await app.close();
  }
}

const note = { title: 'Hi', isAdmin: true };

describe('validation options', () => {
  it('hands handlers the DTO instance, unknown properties included, by default', async () => {
    assert.deepEqual(await post({}, note), {
      status: 201,
      body: { isDto: true, keys: ['isAdmin', 'title'] },
    });
  });

  it('strips properties without decorators with whitelist', async () => {
    assert.deepEqual(await post({ validation: { whitelist: true } }, note), {
      status: 201,
      body: { isDto: true, keys: ['title'] },
    });
  });

  it('answers 400 naming them with forbidNonWhitelisted', async () => {
    const options = { validation: { whitelist: true, forbidNonWhitelisted: true } };
    assert.deepEqual(await post(options, { ...note, role: 'x' }), {
      status: 400,
      body: {
        statusCode: 400,
        message: ['property isAdmin should not exist', 'property role should not exist'],
        error: 'Bad Request',
      },
    });
    assert.equal((await post(options, { title: 'Hi' })).status, 201);
  });

  it('hands over the plain value with transform: false (stripped with whitelist), still validating', async () => {
    assert.deepEqual(await post({ validation: { transform: false } }, note), {
      status: 201,
      body: { isDto: false, keys: ['isAdmin', 'title'] },
    });
    assert.deepEqual(await post({ validation: { transform: false, whitelist: true } }, note), {
      status: 201,
      body: { isDto: false, keys: ['title'] },
    });
    assert.equal((await post({ validation: { transform: false } }, { title: 3 })).status, 400);
    const { app, url } = await startApp(AppModule, { validation: { transform: false } });
    try {
      // Validated as a number, handed over as the query string gave it.
      assert.deepEqual(await (await fetch(`${url}/page?limit=5`)).json(), {
        isDto: false,
        limit: '5',
      });
      assert.equal((await fetch(`${url}/page?limit=x`)).status, 400);
    } finally {
      await app.close();
    }
  });
});
