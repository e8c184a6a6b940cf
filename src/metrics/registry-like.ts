/**
 * What Herald needs of a prom-client `Registry`, written out so that Herald's own type
 * declarations do not require prom-client's: an app without metrics never installs it.
 */
export interface RegistryLike {
  /** The `Content-Type` of what `metrics()` returns. */
  readonly contentType: string;
  /** Every registered metric in the text exposition format. */
  metrics(): Promise<string>;
  /** Removes one metric by name (Herald removes its own when the app closes). */
  removeSingleMetric(name: string): void;
}
