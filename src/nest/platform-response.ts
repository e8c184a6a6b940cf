import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Nest's request and response on either platform: Express's are Node's own objects (extended),
 * Fastify's wrap them (`.raw`) and keep headers set through the reply apart until it sends.
 */
export interface FastifyReplyLike {
  raw: ServerResponse;
  getHeaders(): Record<string, number | string | string[] | undefined>;
  header(name: string, value: string): unknown;
  code(status: number): { send(body?: string): unknown };
  hijack(): unknown;
}

export type PlatformResponse = ServerResponse | FastifyReplyLike;

function isReply(res: PlatformResponse): res is FastifyReplyLike {
  return (res as Partial<FastifyReplyLike>).raw !== undefined;
}

/** Nest's request: Node's own (Express) or a wrapper of it (Fastify). */
export type PlatformRequest = IncomingMessage | { raw: IncomingMessage };

/** Node's request under Nest's. */
export function rawRequest(req: PlatformRequest): IncomingMessage {
  return 'raw' in req && req.raw !== undefined ? req.raw : (req as IncomingMessage);
}

/**
 * Node's response under Nest's, with the headers set so far on a Fastify reply (CORS, `@Header`)
 * copied onto it: Herald writes the head on the raw response, which never sees the reply's headers.
 */
export function rawResponseWithHeaders(res: PlatformResponse): ServerResponse {
  if (!isReply(res)) return res;
  const raw = res.raw;
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (value !== undefined && !raw.hasHeader(name)) raw.setHeader(name, value);
  }
  return raw;
}

/**
 * Tells Fastify the response is Herald's. Only once the head is written: a hijacked reply can no
 * longer answer, so a refusal before the stream must still find it unhijacked.
 */
export function handOver(res: PlatformResponse): void {
  if (isReply(res)) res.hijack();
}

/** Sets a header Nest's exception filter will send with its answer. */
export function setAnswerHeader(res: PlatformResponse, name: string, value: string): void {
  if (isReply(res)) res.header(name, value);
  else if (!res.headersSent) res.setHeader(name, value);
}

/** 204 No Content, which tells `EventSource` to stop reconnecting (HTML 9.2.3). */
export function answerNoContent(res: PlatformResponse): void {
  if (isReply(res)) {
    res.code(204).send();
    return;
  }
  res.statusCode = 204;
  res.end();
}

/** Answers 200 with `text` as `contentType`, never cached (a scrape must see the values now). */
export function sendText(res: PlatformResponse, contentType: string, text: string): void {
  if (isReply(res)) {
    res.header('Content-Type', contentType);
    res.header('Cache-Control', 'no-store');
    res.code(200).send(text);
    return;
  }
  res.writeHead(200, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}
