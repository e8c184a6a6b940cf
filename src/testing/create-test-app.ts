import {
  type DynamicModule,
  type HeraldApplication,
  type HeraldApplicationOptions,
  HeraldFactory,
  type InjectionToken,
  type ProviderOverride,
  type Type,
} from '../app/index.js';

/** Options of {@link createTestApp}. */
export interface TestAppOptions {
  /**
   * Providers that replace the real ones registered under the same token, in any module of the
   * tree (a fake mailer deep in an imported module, a hub with a small history...).
   */
  overrides?: readonly ProviderOverride[];
  /** Application options; the logger is off unless one is given. */
  options?: HeraldApplicationOptions;
}

/** A started application for a test: its URL, its providers, and `close()`. */
export interface TestApp {
  /** The application, already listening. */
  readonly app: HeraldApplication;
  /** Its base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** A provider from the DI container (the override, where one was given). */
  get<T = unknown>(token: InjectionToken<T>): T;
  /** Closes the app gracefully (open streams end, lifecycle hooks run). */
  close(): Promise<void>;
}

/**
 * Creates the application of `module`, with `overrides` swapped in, and listens on 127.0.0.1
 * port 0 (a free port); the logger is silent unless `options.logger` is given.
 *
 * @example
 * const t = await createTestApp(AppModule, {
 *   overrides: [{ provide: Mailer, useValue: { send: async () => undefined } }],
 * });
 * const stream = await sse(t, '/events');
 * await t.close();
 */
export async function createTestApp(
  module: Type | DynamicModule,
  { overrides, options }: TestAppOptions = {},
): Promise<TestApp> {
  const app = await HeraldFactory.create(module, {
    logger: false,
    ...options,
    ...(overrides ? { overrides: [...(options?.overrides ?? []), ...overrides] } : {}),
  });
  try {
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close();
    throw error;
  }
  return {
    app,
    url: app.getUrl(),
    get: (token) => app.get(token),
    close: () => app.close(),
  };
}
