import type {
  Http2SecureServer,
  Http2Server,
  ServerHttp2Session,
  ServerHttp2Stream,
} from 'node:http2';

// The session a stream belongs to, and the streams a session has open, kept on the objects under
// symbol keys so the listeners below are shared functions, not closures per session or stream.
const SESSION = Symbol('herald.session');
const OPEN = Symbol('herald.openStreams');
type Counted = ServerHttp2Session & { [OPEN]: number };
type Owned = ServerHttp2Stream & { [SESSION]?: Counted };

const ignore = (): void => undefined;

/**
 * The HTTP/2 sessions of one server: what shutdown needs (GOAWAY to every session, then cut
 * them if they overrun) and the idle rule HTTP/1.1 has as `keepAliveTimeout`: a session with no
 * open stream and no traffic for that long is closed, so idle connections do not pile up.
 */
export class Http2Sessions {
  readonly #sessions = new Set<Counted>();
  readonly #idleMs: number;
  #closing = false;

  constructor(server: Http2Server | Http2SecureServer, idleMs: number) {
    this.#idleMs = idleMs;
    server.on('session', (session: ServerHttp2Session) => this.#add(session as Counted));
    server.on('stream', Http2Sessions.#onStream);
  }

  /** Sessions open now. */
  get size(): number {
    return this.#sessions.size;
  }

  /**
   * Tells every client to open no new stream here (GOAWAY); each session closes once its streams
   * have ended. Sessions that arrive later are told at once.
   */
  goAway(): void {
    this.#closing = true;
    for (const session of this.#sessions) session.close();
  }

  /** Cuts every session now (the shutdown deadline passed). */
  destroyAll(): void {
    for (const session of this.#sessions) session.destroy();
  }

  #add(session: Counted): void {
    session[OPEN] = 0;
    this.#sessions.add(session);
    // A session error (a protocol violation, a reset socket) ends that session only.
    session.on('error', ignore);
    session.once('close', () => this.#sessions.delete(session));
    if (this.#idleMs > 0) session.setTimeout(this.#idleMs, Http2Sessions.#onIdle);
    if (this.#closing) session.close();
  }

  static readonly #onStream = (stream: Owned): void => {
    const session = stream.session as Counted | undefined;
    if (session === undefined) return;
    session[OPEN]++;
    stream[SESSION] = session;
    stream.on('error', ignore);
    stream.once('close', Http2Sessions.#onStreamClose);
  };

  static readonly #onStreamClose = function (this: Owned): void {
    const session = this[SESSION];
    if (session !== undefined) session[OPEN]--;
  };

  static readonly #onIdle = function (this: Counted): void {
    if (this[OPEN] === 0) this.close();
  };
}
