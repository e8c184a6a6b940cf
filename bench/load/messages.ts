/** Runner -> generator: open `count` SSE connections to `GET /sse`, `sampled` of them for latency. */
export interface ConnectCommand {
  type: 'connect';
  port: number;
  count: number;
  sampled: number;
  sampleEvery: number;
  timeoutMs: number;
}

/** Runner -> generator: take the baseline now and report once every connection has `events` more. */
export interface ExpectCommand {
  type: 'expect';
  events: number;
  timeoutMs: number;
}

/** Runner -> generator: close every socket and exit. */
export interface CloseCommand {
  type: 'close';
}

/** Every command a generator process accepts. */
export type GeneratorCommand = ConnectCommand | ExpectCommand | CloseCommand;

/** Generator -> runner: the outcome of a {@link ConnectCommand} (subscribed = response head read). */
export interface ConnectedReply {
  type: 'connected';
  subscribed: number;
  failed: number;
  ms: number;
}

/** Generator -> runner: the baseline is taken, publishing may start. */
export interface ArmedReply {
  type: 'armed';
}

/** Generator -> runner: the outcome of an {@link ExpectCommand}. Times are absolute ms. */
export interface DeliveryReply {
  type: 'delivery';
  connections: number;
  complete: number;
  delivered: number;
  excess: number;
  closed: number;
  /** When the last connection got its last event (or the timeout fired). */
  lastAt: number;
  /** Latencies (ms) of sampled events. */
  samples: number[];
  /** CPU time this generator used between the baseline and the report, ms. */
  cpuMs: number;
}

/** Every message a generator process sends back. */
export type GeneratorReply = ConnectedReply | ArmedReply | DeliveryReply;
