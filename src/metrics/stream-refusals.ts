/**
 * Why a request for an event stream was answered with an error status instead of a stream: the
 * values of `herald_streams_refused_total{reason}`. A fixed list, so the label stays bounded.
 *
 * - `max-streams`: the process already holds `limits.maxStreams` streams (503).
 * - `max-streams-per-address`: the client address holds `limits.maxStreamsPerAddress` (429).
 * - `closed`: the app or hub is shutting down, or the client left before its stream started (503).
 * - `invalid-request`: the request itself could not be read (a body over `bodyLimit`, bad JSON).
 * - `guard`: a guard refused (403) or threw (e.g. 401 from a token guard).
 * - `validation`: a parameter or DTO failed validation (400).
 * - `handler`: the `@Sse` handler threw before returning its stream.
 * - `topic-forbidden`: the hub's `authorize` hook refused a topic (403).
 * - `topic-full`: a topic already had `maxSubscribersPerTopic` subscribers (503).
 * - `broker-unavailable`: the broker (Redis) could not start or replay the stream (503).
 * - `source`: the handler's stream was not a stream, or failed before its first event (500).
 */
export const STREAM_REFUSAL_REASONS = [
  'max-streams',
  'max-streams-per-address',
  'closed',
  'invalid-request',
  'guard',
  'validation',
  'handler',
  'topic-forbidden',
  'topic-full',
  'broker-unavailable',
  'source',
] as const;

/** One of {@link STREAM_REFUSAL_REASONS}. */
export type StreamRefusalReason = (typeof STREAM_REFUSAL_REASONS)[number];

/** Something that reports refused streams, one call per refusal (the app's stream limiter). */
export interface RefusalSource {
  onRefused(listener: (reason: StreamRefusalReason) => void): () => void;
}
