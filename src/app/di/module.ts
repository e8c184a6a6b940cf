import 'reflect-metadata';
import { METADATA } from '../metadata-keys.js';
import type { ModuleMetadata } from './types.js';

/**
 * Declares a module: the providers and controllers it owns, the modules it imports, and what it
 * exports to the modules that import it. A module sees its own providers, the exports of its
 * imports, and the exports of global modules; nothing else.
 *
 * @example
 * @Module({
 *   imports: [EventEmitterModule.forRoot()],
 *   controllers: [AppController],
 *   providers: [TaskService],
 * })
 * export class AppModule {}
 */
export function Module(metadata: ModuleMetadata = {}): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(METADATA.MODULE, metadata, target);
  };
}

/**
 * Makes a module's exports visible to every module without importing it. The module must still
 * be imported once (usually by the root module) to be part of the application.
 *
 * @example
 * @Global()
 * @Module({ providers: [Config], exports: [Config] })
 * export class ConfigModule {}
 */
export function Global(): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(METADATA.GLOBAL_MODULE, true, target);
  };
}
