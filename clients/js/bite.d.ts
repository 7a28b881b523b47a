// Types of bite.js: the Bite protocol-3 client.

/** A reply of `ERR ...` from the server (`reply` holds it), or a request that could not be answered. */
export declare class BiteError extends Error {
  readonly reply: string | null;
}

/** What the client needs of a WebSocket; browsers' and Node's `WebSocket` have it. */
export interface Transport {
  send(data: string): void;
  close(): void;
  onopen: ((event?: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event?: unknown) => void) | null;
  onerror: ((event?: unknown) => void) | null;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(id: unknown): void;
}

export interface ConnectOptions {
  /** The server password, or a token: sent as `auth X` before `hello 3`. */
  password?: string | null;
  /** With `password`: `auth USER PASSWORD`. */
  user?: string | null;
  /** Opens a connection; default `new WebSocket(url)`. */
  transport?: (url: string) => Transport;
  /** How often `ping` goes out; a connection silent for three beats is dropped and redialled. Default 10,000. */
  heartbeatMs?: number;
  /** Reconnect backoff: doubles from min to max (with jitter). Defaults 100 and 5,000. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  timers?: Timers;
  now?: () => number;
  random?: () => number;
  /**
   * Told of every connect (`connected: true`, with session and epoch; `sessionKept` false when a reconnect could not
   * take the session over, so its `ondisconnect` actions ran and presence must be set again) and every drop.
   */
  onStatus?: (status: { connected: boolean; session?: string; epoch?: string; sessionKept?: boolean }) => void;
}

export type SubscriptionKind = 'g' | 'k' | 'j';

/** One push: `>KIND KEY REV PAYLOAD`. */
export interface Push {
  kind: SubscriptionKind;
  key: string;
  rev: number;
  payload: string;
}

export interface SubscribeOptions {
  /** g: the value; k: `RELPATH VALUE`; j: JSON. Default `k`. */
  kind?: SubscriptionKind;
  /** Tick-batched, latest wins: at most one batch per this many ms (1 to 60,000). */
  every?: number | null;
  /** After a reconnect the server could not replay: the subtree as of now (`j KEY`). */
  onReset?: ((subtree: unknown) => void) | null;
}

export interface Subscription {
  readonly key: string;
  readonly kind: SubscriptionKind;
  /** The revision of the last push seen (or of the subscribe). */
  readonly rev: number | null;
  /** `#- KEY`, then the client's other kinds on the same key are made again. */
  unsubscribe(): Promise<void>;
}

/** A subtree kept up to date: `#k KEY` and `j KEY`, then every push, reloaded when a resume cannot be replayed. */
export interface Mirror {
  readonly key: string;
  /** Each key below KEY with a value, relative to KEY (`p1.x`), to its value. Read it, do not change it. */
  readonly values: ReadonlyMap<string, string>;
  /** The subtree as `j KEY` gives it (a key with descendants shows them, not its own value). */
  tree(): Record<string, unknown>;
  unsubscribe(): Promise<void>;
}

export interface MirrorOptions {
  /** Tick-batched pushes (`every=MS`). */
  every?: number | null;
  /** After each push (`push`) or reload (`push` null). */
  onChange?: (mirror: Mirror, push: Push | null) => void;
}

export declare class BiteClient {
  constructor(url: string, options?: ConnectOptions);
  readonly url: string;
  /** This server run's history (16 hex digits); changes when the server restarts. */
  readonly epoch: string | null;
  /** The session token (32 hex digits), kept across reconnects. */
  readonly session: string | null;
  /** Settles with the first connection's handshake. */
  readonly ready: Promise<BiteClient>;

  /** One request line; the reply without its `=`; rejects with BiteError on `ERR` or a dropped connection. */
  request(line: string): Promise<string>;
  get(key: string): Promise<string>;
  set(key: string, value?: string): Promise<string>;
  del(key: string): Promise<string>;
  incr(key: string): Promise<number>;
  notify(key: string, value?: string): Promise<string>;
  json(key?: string): Promise<unknown>;
  ping(): Promise<string>;
  /** `ondisconnect LINE`: LINE (an `s`, `d`, `dd` or `!` request) runs when the session ends. */
  onDisconnect(line: string): Promise<string>;
  /** Sets KEY now and has the server delete it when the session ends. */
  presence(key: string, value?: string): Promise<void>;
  subscribe(key: string, options?: SubscribeOptions, onChange?: (push: Push) => void): Promise<Subscription>;
  /** Mirrors KEY's subtree (a `#k` subscription); `!` notifications below KEY show in it like sets. */
  mirror(key: string, options?: MirrorOptions): Promise<Mirror>;
  /** `quit` (the session's actions run now); no reconnect after. */
  close(): void;
}

/** A client whose first connection has said hello. */
export declare function connect(url: string, options?: ConnectOptions): Promise<BiteClient>;
