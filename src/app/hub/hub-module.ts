import { Hub, type HubOptions } from '../../hub/hub.js';
import { Module } from '../di/module.js';
import type { DynamicModule } from '../di/types.js';

/** Options of `HubModule.forRoot()`: those of `new Hub()`, plus `global`. */
export interface HubModuleOptions extends HubOptions {
  /** Make `Hub` injectable in every module without importing this one. Default true. */
  global?: boolean;
}

/**
 * Provides one `Hub` for the application (a global module by default), closed with the app.
 *
 * @example
 * @Module({ imports: [HubModule.forRoot({ history: { maxEvents: 5000 } })], controllers: [NewsController] })
 * export class AppModule {}
 */
@Module({})
export class HubModule {
  /** The module with a hub made from `options`. */
  static forRoot(options: HubModuleOptions = {}): DynamicModule {
    const { global = true, ...hubOptions } = options;
    return {
      module: HubModule,
      global,
      providers: [{ provide: Hub, useFactory: () => new Hub(hubOptions) }],
      exports: [Hub],
    };
  }
}
