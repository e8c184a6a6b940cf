import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type CanActivate,
  Controller,
  type ExecutionContext,
  Get,
  type HeraldApplication,
  Injectable,
  Module,
  Reflector,
  SetMetadata,
  Sse,
  UnauthorizedException,
  UseGuards,
} from 'herald';
import { of } from 'rxjs';
import { startApp } from './start-app.js';

const calls: string[] = [];

class Allow implements CanActivate {
  canActivate() {
    calls.push('allow');
    return true;
  }
}

class AsyncDeny implements CanActivate {
  async canActivate() {
    calls.push('async-deny');
    await new Promise((r) => setTimeout(r, 5));
    return false;
  }
}

class ObservableAllow implements CanActivate {
  canActivate() {
    return of(false, true);
  }
}

class ApiKeyGuard implements CanActivate {
  canActivate(ctx: ExecutionContext) {
    const req = ctx.switchToHttp().getRequest();
    if (req.headers['x-api-key'] !== 'secret') throw new UnauthorizedException('Bad API key');
    return true;
  }
}

@Injectable()
class RoleService {
  roleOf(user: string | undefined) {
    return user === 'root' ? 'admin' : 'user';
  }
}

const Roles = (...roles: string[]) => SetMetadata('roles', roles);

/** Not a provider: built with its constructor parameters resolved from the container. */
@Injectable()
class RolesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly roles: RoleService,
  ) {}

  canActivate(ctx: ExecutionContext) {
    const needed = this.reflector.getAllAndOverride<string[]>('roles', [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    if (!needed) return true;
    const user = ctx.switchToHttp().getRequest().headers['x-user'] as string | undefined;
    return needed.includes(this.roles.roleOf(user));
  }
}

@Controller('open')
class OpenController {
  @Get('sync')
  @UseGuards(Allow)
  sync() {
    return 'ok';
  }

  @Get('async')
  @UseGuards(Allow, AsyncDeny)
  denied() {
    calls.push('handler');
    return 'never';
  }

  @Get('observable')
  @UseGuards(new ObservableAllow())
  observable() {
    return 'ok';
  }

  @Get('custom')
  @UseGuards(ApiKeyGuard)
  custom() {
    return 'ok';
  }

  @Sse('stream')
  @UseGuards(AsyncDeny)
  stream() {
    calls.push('sse-handler');
    return of({ data: 'x' });
  }
}

@Controller('admin')
@UseGuards(RolesGuard)
@Roles('admin')
class AdminController {
  @Get()
  index() {
    return 'admin area';
  }

  @Get('public')
  @Roles('user', 'admin')
  open() {
    return 'for users';
  }
}

@Controller('keyed')
@UseGuards(ApiKeyGuard)
class KeyedController {
  @Get()
  @UseGuards(AsyncDeny)
  index() {
    return 'never';
  }
}

@Module({
  controllers: [OpenController, AdminController, KeyedController],
  providers: [RoleService],
})
class AppModule {}

describe('guards', () => {
  let app: HeraldApplication;
  let url: string;
  before(async () => {
    ({ app, url } = await startApp(AppModule));
  });
  after(() => app.close());

  const forbidden = { statusCode: 403, message: 'Forbidden resource', error: 'Forbidden' };

  it('lets a request through a sync guard', async () => {
    assert.equal(await (await fetch(`${url}/open/sync`)).text(), 'ok');
  });

  it('answers 403 when an async guard refuses, after running earlier guards, without the handler', async () => {
    calls.length = 0;
    const res = await fetch(`${url}/open/async`);
    assert.equal(res.status, 403);
    assert.deepEqual(await res.json(), forbidden);
    assert.deepEqual(calls, ['allow', 'async-deny']);
  });

  it("takes an Observable guard's last value", async () => {
    assert.equal((await fetch(`${url}/open/observable`)).status, 200);
  });

  it("answers with the guard's own HttpException", async () => {
    const res = await fetch(`${url}/open/custom`);
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), {
      statusCode: 401,
      message: 'Bad API key',
      error: 'Unauthorized',
    });
    const ok = await fetch(`${url}/open/custom`, { headers: { 'x-api-key': 'secret' } });
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
  });

  it('refuses an @Sse route with 403 JSON before the stream starts', async () => {
    calls.length = 0;
    const res = await fetch(`${url}/open/stream`, { headers: { accept: 'text/event-stream' } });
    assert.equal(res.status, 403);
    assert.match(res.headers.get('content-type')!, /^application\/json/);
    assert.deepEqual(await res.json(), forbidden);
    assert.ok(!calls.includes('sse-handler'));
  });

  it('runs controller guards with Reflector-read metadata, method metadata overriding', async () => {
    assert.equal((await fetch(`${url}/admin`, { headers: { 'x-user': 'bob' } })).status, 403);
    const root = await fetch(`${url}/admin`, { headers: { 'x-user': 'root' } });
    assert.equal(await root.text(), 'admin area');
    const pub = await fetch(`${url}/admin/public`, { headers: { 'x-user': 'bob' } });
    assert.equal(await pub.text(), 'for users');
  });

  it('runs controller guards before method guards', async () => {
    const noKey = await fetch(`${url}/keyed`);
    assert.equal(noKey.status, 401);
    await noKey.body?.cancel();
    const withKey = await fetch(`${url}/keyed`, { headers: { 'x-api-key': 'secret' } });
    assert.equal(withKey.status, 403);
    await withKey.body?.cancel();
  });

  it('provides Reflector for injection', () => {
    assert.ok(app.get(Reflector) instanceof Reflector);
  });
});

describe('guard construction', () => {
  it('fails the app start, naming the guard, when a guard dependency is missing', async () => {
    @Injectable()
    class NeedsRoles implements CanActivate {
      constructor(readonly roles: RoleService) {}
      canActivate() {
        return true;
      }
    }
    @Controller()
    @UseGuards(NeedsRoles)
    class Guarded {
      @Get()
      index() {
        return 'x';
      }
    }
    @Module({ controllers: [Guarded] })
    class NoProviders {}
    await assert.rejects(startApp(NoProviders), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'MISSING_DEPENDENCY');
      assert.match(err.message, /NeedsRoles/);
      assert.match(err.message, /RoleService/);
      return true;
    });
  });
});
