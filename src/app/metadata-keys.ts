/**
 * Every reflect-metadata key Herald's decorators write, in one place. Decorators only record metadata
 * under these keys; the container and the router read it. Keys are strings (not symbols) so two copies
 * of the package in one process still understand each other's metadata.
 */
export const METADATA = {
  // Dependency injection (src/app/di)
  INJECTABLE: 'herald:injectable',
  /** Per-constructor-parameter tokens set by @Inject(token): Map<index, token>. */
  INJECT_TOKENS: 'herald:inject-tokens',
  /** Per-constructor-parameter optional flags set by @Optional(). */
  OPTIONAL_PARAMS: 'herald:optional-params',
  MODULE: 'herald:module',
  GLOBAL_MODULE: 'herald:global-module',
  /** Methods decorated with @OnEvent: Array<{ method, event, options }>. */
  ON_EVENT: 'herald:on-event',

  // HTTP (src/app/http)
  CONTROLLER: 'herald:controller',
  /** Route list on a controller prototype: Array<RouteDefinition>. */
  ROUTES: 'herald:routes',
  /** Parameter decorators of a method: Array<ParamDefinition>. */
  PARAMS: 'herald:params',
  HTTP_CODE: 'herald:http-code',
  HEADERS: 'herald:headers',
  GUARDS: 'herald:guards',
} as const;
