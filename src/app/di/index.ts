export { Inject, Injectable, Optional } from './injectable.js';
export type {
  BeforeApplicationShutdown,
  ContainerExtension,
  OnApplicationShutdown,
  OnModuleDestroy,
  OnModuleInit,
} from './lifecycle.js';
export { Global, Module } from './module.js';
export type {
  Abstract,
  ClassProvider,
  DynamicModule,
  ExistingProvider,
  FactoryProvider,
  InjectionToken,
  ModuleImport,
  ModuleMetadata,
  OptionalFactoryDependency,
  Provider,
  ProviderOverride,
  Token,
  Type,
  ValueProvider,
} from './types.js';
