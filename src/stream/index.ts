export type { Producer, ProducerSink } from './producer-sink.js';
export { type ObservableLike, type SourceKind, sourceKind } from './source-kind.js';
export { SSEEvent, SSEMessage, type SSEMessageInit } from './sse-message.js';
export { startProducer } from './start-producer.js';
export {
  ATTACH_FRAMES,
  type AttachedProducer,
  type FrameSink,
  type FrameSource,
  isFrameSource,
} from './frame-source.js';
