// Bite client: protocol 3 (../../../shared/PROTOCOL.md) over a WebSocket, for browsers and Node. No dependencies.
//
// One client holds one connection at a time and runs on the caller's event loop (single-threaded, like all
// JavaScript): requests go out in order and each `=` reply settles the oldest request still waiting; `>` pushes go
// to the subscription they name. When the connection drops, waiting requests fail (they may or may not have been
// applied), and the client reconnects with backoff, takes its session over (`hello 3 SESSION`, so `ondisconnect`
// actions do not fire during a short outage) and resumes every subscription with `from=EPOCH:REV`; when the server
// cannot replay the gap (`=NO`), the subscription's `onReset` gets the subtree as of now (`j KEY`, pipelined).

const HELLO = /^=OK 3 ([0-9a-f]{16}) ([0-9a-f]{32})$/;
const PUSH = /^>([gkj]) (\S+) (\d+) (.*)$/s;

/** A reply of `ERR ...` from the server, or a request that could not be answered. */
export class BiteError extends Error {
  constructor(message, { reply = null } = {}) {
    super(message);
    this.name = 'BiteError';
    this.reply = reply;
  }
}

/**
 * Opens a client. Resolves once the first connection has said `hello 3` (and `auth` when credentials are given);
 * rejects when that first attempt fails. Later drops reconnect on their own.
 */
export async function connect(url, options = {}) {
  const client = new BiteClient(url, options);
  await client.ready;
  return client;
}

export class BiteClient {
  constructor(url, options = {}) {
    this.url = url;
    this.options = {
      password: null, // or a token: sent as `auth X`
      user: null, // with password: `auth USER PASSWORD`
      transport: (u) => new globalThis.WebSocket(u),
      heartbeatMs: 10_000,
      minBackoffMs: 100,
      maxBackoffMs: 5_000,
      timers: globalThis,
      now: () => Date.now(),
      random: Math.random,
      onStatus: () => {},
      ...options,
    };
    this.epoch = null;
    this.session = null;
    this.closed = false;
    this.pending = []; // {resolve, reject, raw} in send order
    this.subscriptions = new Map(); // "kind key" -> Subscription
    this.socket = null;
    this.open = false;
    this.attempt = 0;
    this.buffer = '';
    this.heartbeat = null;
    this.lastReceived = 0;
    this.ready = new Promise((resolve, reject) => {
      this.#readyResolve = resolve;
      this.#readyReject = reject;
    });
    this.#dial();
  }

  #readyResolve;
  #readyReject;

  /** Sends one request line; resolves with the reply (without `=`), rejects with a BiteError on `ERR`. */
  request(line) {
    if (this.closed) return Promise.reject(new BiteError('client closed'));
    if (!this.open) return Promise.reject(new BiteError('not connected'));
    return this.#send(line, false);
  }

  get(key) { return this.request(`g ${key}`); }
  set(key, value = '') { return this.request(`s ${key} ${value}`); }
  del(key) { return this.request(`d ${key}`); }
  incr(key) { return this.request(`+1 ${key}`).then(Number); }
  notify(key, value = '') { return this.request(`! ${key} ${value}`); }
  json(key = '') { return this.request(key ? `j ${key}` : 'j').then((text) => JSON.parse(text)); }
  ping() { return this.request('ping'); }

  /** Registers LINE (`s`, `d`, `dd` or `!`) to run when this client's session ends. */
  onDisconnect(line) { return this.request(`ondisconnect ${line}`); }

  /** Presence: sets KEY to VALUE now, and has the server delete it when the session ends. */
  async presence(key, value = '') {
    await this.set(key, value);
    await this.onDisconnect(`d ${key}`);
  }

  /**
   * Subscribes to KEY's subtree. `onChange(push)` gets `{kind, key, rev, payload}` for every push; `onReset(json)`
   * (optional) gets the subtree after a resume the server could not replay. Resolves with the subscription once the
   * server confirmed it.
   */
  async subscribe(key, { kind = 'k', every = null, onReset = null } = {}, onChange = () => {}) {
    if (!['g', 'k', 'j'].includes(kind)) throw new BiteError(`unknown subscription kind '${kind}'`);
    const sub = { kind, key, every, onChange, onReset, rev: null, epoch: null };
    const id = `${kind} ${key}`;
    // in the map before the reply: a push may follow the reply in the same message, before this await returns
    const previous = this.subscriptions.get(id);
    this.subscriptions.set(id, sub);
    try {
      if (this.closed) throw new BiteError('client closed');
      if (!this.open) throw new BiteError('not connected');
      await this.#send(subscribeLine(sub, null), false, (reply) => this.#subscribed(sub, reply));
    } catch (e) {
      if (this.subscriptions.get(id) === sub) {
        if (previous) this.subscriptions.set(id, previous);
        else this.subscriptions.delete(id);
      }
      throw e;
    }
    return {
      key, kind,
      get rev() { return sub.rev; },
      unsubscribe: () => this.#unsubscribe(sub),
    };
  }

  /** Ends the session (`quit`: the `ondisconnect` actions run now) and stops reconnecting. */
  close() {
    if (this.closed) return;
    if (this.open) this.socket.send('quit\n');
    this.closed = true;
    this.#teardown(new BiteError('client closed'));
    this.socket?.close();
  }

  async #unsubscribe(sub) {
    this.subscriptions.delete(`${sub.kind} ${sub.key}`);
    // `#-` removes every kind on the key: put back the other kinds this client still holds there
    await this.request(`#- ${sub.key}`);
    for (const other of this.subscriptions.values()) {
      if (other.key === sub.key) {
        await this.#send(subscribeLine(other, resumePoint(other)), false, (reply) => this.#subscribed(other, reply));
      }
    }
  }

  /**
   * Mirrors KEY's subtree: `#k KEY` and `j KEY` pipelined (a start without a gap), then every push applied, and a
   * reload whenever a resume could not be replayed. `values` maps each key below KEY (relative, `p1.x`) to its value;
   * `tree()` gives them as `j KEY` would. `onChange(mirror, push)` runs after each push or reload (push null).
   */
  async mirror(key, { every = null, onChange = () => {} } = {}) {
    const values = new Map();
    const mirror = {
      key,
      values,
      tree: () => treeOf(values),
      unsubscribe: null,
    };
    const reset = (json) => {
      values.clear();
      flatten(json, '', values);
      onChange(mirror, null);
    };
    const apply = (push) => {
      const space = push.payload.indexOf(' ');
      if (space < 0) values.delete(push.payload);
      else values.set(push.payload.slice(0, space), push.payload.slice(space + 1));
      onChange(mirror, push);
    };
    const subscribing = this.subscribe(key, { kind: 'k', every, onReset: reset }, apply);
    // pipelined behind the subscribe: the state as of its `=OK REV`, replacing whatever pushes came before it
    const loading = this.#send(key ? `j ${key}` : 'j', false, (json) => reset(JSON.parse(json)));
    const sub = await subscribing;
    await loading;
    mirror.unsubscribe = () => sub.unsubscribe();
    return mirror;
  }

  /** A subscribe's `=OK REV` or `=NO REV`, taken as its line arrives (pushes may follow it in the same message). */
  #subscribed(sub, reply) {
    const [answer, now] = reply.split(' ');
    const rev = Number(now);
    if (answer === 'NO' || sub.epoch !== this.epoch || sub.rev === null || sub.rev < rev) sub.rev = rev;
    sub.epoch = this.epoch;
    return answer;
  }

  /**
   * Sends one line. `onReply(reply)` (optional) runs as the reply's line is read, before any later line of the
   * same message is handled; the promise settles afterwards.
   */
  #send(line, raw, onReply = null) {
    if (line.includes('\n')) return Promise.reject(new BiteError('a request line cannot hold a newline'));
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject, raw, onReply });
      this.socket.send(`${line}\n`);
    });
  }

  #dial() {
    const socket = this.options.transport(this.url);
    this.socket = socket;
    this.buffer = '';
    socket.onopen = () => this.#handshake(socket);
    socket.onmessage = (event) => {
      if (socket === this.socket) this.#receive(String(event.data));
    };
    // a close, or an error without a close (Node 20's WebSocket reports a failed handshake with an error alone)
    let lost = false;
    const drop = () => {
      if (lost || socket !== this.socket) return;
      lost = true;
      try {
        socket.close();
      } catch {
        // already closing
      }
      this.#dropped();
    };
    socket.onclose = drop;
    socket.onerror = drop;
  }

  async #handshake(socket) {
    if (socket !== this.socket) return;
    this.lastReceived = this.options.now();
    const { password, user } = this.options;
    try {
      if (password != null) {
        const reply = await this.#send(user != null ? `auth ${user} ${password}` : `auth ${password}`, true);
        if (reply !== 'OK') throw new BiteError(reply, { reply });
      }
      const hello = await this.#send(this.session ? `hello 3 ${this.session}` : 'hello 3', false);
      const m = HELLO.exec(`=${hello}`);
      if (!m) throw new BiteError(`unexpected hello reply: ${hello}`);
      const resumed = this.epoch;
      // a takeover that failed answers with a fresh token: the old session ended and its actions ran
      const sessionKept = this.session === null || this.session === m[2];
      this.epoch = m[1];
      this.session = m[2];
      this.attempt = 0;
      if (resumed !== null) await this.#resubscribe();
      this.open = true; // only now may the application's requests go out: after hello and the resumes
      this.#startHeartbeat();
      this.options.onStatus({ connected: true, session: this.session, epoch: this.epoch, sessionKept });
      this.#readyResolve(this);
    } catch (e) {
      if (this.epoch === null) {
        // the first connection failed its handshake: give up and say why
        this.closed = true;
        this.#teardown(e);
        socket.close();
        this.#readyReject(e);
      } else {
        socket.close();
      }
    }
  }

  async #resubscribe() {
    for (const sub of [...this.subscriptions.values()]) {
      let answer = null;
      const subscribed = this.#send(subscribeLine(sub, resumePoint(sub)), false, (reply) => {
        answer = this.#subscribed(sub, reply);
      });
      // pipelined: on `=NO` the subtree as of the subscribe, taken before the pushes that follow it are applied
      const reload = this.#send(sub.key ? `j ${sub.key}` : 'j', false, (json) => {
        if (answer === 'NO' && sub.onReset) sub.onReset(JSON.parse(json));
      });
      try {
        await subscribed;
        await reload;
      } catch {
        // dropped again (the next resume tries again), or refused
      }
    }
  }

  #receive(data) {
    this.lastReceived = this.options.now();
    this.buffer += data;
    let nl;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      this.#line(line);
    }
  }

  #line(line) {
    if (line.startsWith('>')) {
      const m = PUSH.exec(line);
      if (!m) return;
      const sub = this.subscriptions.get(`${m[1]} ${m[2]}`);
      if (!sub) return; // a push that raced an unsubscribe
      const rev = Number(m[3]);
      if (sub.rev !== null && rev <= sub.rev) return; // already seen (a replay overlapping what we had)
      sub.rev = rev;
      sub.onChange({ kind: m[1], key: m[2], rev, payload: m[4] });
      return;
    }
    const waiter = this.pending.shift();
    if (!waiter) return; // nothing asked: ignore rather than misroute
    const reply = waiter.raw ? line : line.startsWith('=') ? line.slice(1) : line;
    if (reply.startsWith('ERR')) {
      waiter.reject(new BiteError(reply, { reply }));
      return;
    }
    try {
      waiter.onReply?.(reply);
    } catch (e) {
      waiter.reject(e);
      return;
    }
    waiter.resolve(reply);
  }

  #startHeartbeat() {
    const { timers, heartbeatMs } = this.options;
    if (this.heartbeat) timers.clearInterval(this.heartbeat);
    this.heartbeat = timers.setInterval(() => {
      if (!this.open) return;
      if (this.options.now() - this.lastReceived > 3 * heartbeatMs) {
        this.socket.close(); // half-open: nothing came back for three beats
        return;
      }
      this.#send('ping', false).catch(() => {});
    }, heartbeatMs);
  }

  #teardown(error) {
    this.open = false;
    if (this.heartbeat) this.options.timers.clearInterval(this.heartbeat);
    this.heartbeat = null;
    const waiting = this.pending;
    this.pending = [];
    for (const w of waiting) w.reject(error);
  }

  #dropped() {
    if (this.closed) return;
    this.#teardown(new BiteError('connection lost'));
    if (this.epoch === null) {
      this.closed = true;
      this.#readyReject(new BiteError('could not connect'));
      return;
    }
    this.options.onStatus({ connected: false });
    const { minBackoffMs, maxBackoffMs, random, timers } = this.options;
    const delay = Math.min(maxBackoffMs, minBackoffMs * 2 ** this.attempt) * (0.5 + random() / 2);
    this.attempt++;
    timers.setTimeout(() => {
      if (!this.closed) this.#dial();
    }, delay);
  }
}

/** `EPOCH:REV` of the last push or subscribe reply the subscription saw, or null before its first reply. */
function resumePoint(sub) {
  return sub.rev === null || sub.epoch === null ? null : `${sub.epoch}:${sub.rev}`;
}

/** `{"p1":{"x":"10"}}` into `p1.x` → `10`. */
function flatten(json, prefix, into) {
  if (typeof json === 'string') {
    if (prefix) into.set(prefix, json);
    return;
  }
  for (const [name, child] of Object.entries(json ?? {})) flatten(child, prefix ? `${prefix}.${name}` : name, into);
}

/** The nested object `j` would answer for these relative keys: a key with descendants shows them, not its value. */
function treeOf(values) {
  const root = {};
  for (const path of [...values.keys()].sort()) {
    const names = path.split('.');
    let node = root;
    for (const name of names.slice(0, -1)) {
      if (typeof node[name] !== 'object') node[name] = {};
      node = node[name];
    }
    const last = names[names.length - 1];
    if (typeof node[last] !== 'object') node[last] = values.get(path);
  }
  return root;
}

function subscribeLine(sub, from) {
  let line = `#${sub.kind} ${sub.key}`;
  if (from) line += ` from=${from}`;
  if (sub.every) line += ` every=${sub.every}`;
  return line;
}
