// A fake WebSocket and fake timers: the client's tests script the server's side line by line.

export class FakeSocket {
  constructor(url) {
    this.url = url;
    this.sent = []; // lines the client sent, without their \n
    this.closed = false;
    this.onopen = null;
    this.onmessage = null;
    this.onclose = null;
    this.onerror = null;
  }

  send(data) {
    if (this.closed) throw new Error('send on a closed socket');
    for (const line of data.split('\n').slice(0, -1)) this.sent.push(line);
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    queueMicrotask(() => this.onclose?.({ code: 1006 }));
  }

  // the server's side
  accept() { this.onopen?.(); }
  deliver(...lines) { this.onmessage?.({ data: lines.map((l) => `${l}\n`).join('') }); }
}

export class FakeNetwork {
  constructor() { this.sockets = []; }
  transport = (url) => {
    const socket = new FakeSocket(url);
    this.sockets.push(socket);
    return socket;
  };
  get last() { return this.sockets[this.sockets.length - 1]; }
}

export class FakeTimers {
  constructor() {
    this.now = 0;
    this.next = 1;
    this.tasks = new Map(); // id -> {at, fn, every}
  }
  setTimeout = (fn, ms) => this.#add(fn, ms, null);
  setInterval = (fn, ms) => this.#add(fn, ms, ms);
  clearTimeout = (id) => this.tasks.delete(id);
  clearInterval = (id) => this.tasks.delete(id);
  clock = () => this.now;

  #add(fn, ms, every) {
    const id = this.next++;
    this.tasks.set(id, { at: this.now + ms, fn, every });
    return id;
  }

  /** Moves the clock forward, running every task that falls due, in time order. */
  advance(ms) {
    const end = this.now + ms;
    while (true) {
      let dueId = null;
      for (const [id, t] of this.tasks) {
        if (t.at <= end && (dueId === null || t.at < this.tasks.get(dueId).at)) dueId = id;
      }
      if (dueId === null) break;
      const task = this.tasks.get(dueId);
      this.now = task.at;
      if (task.every) task.at += task.every;
      else this.tasks.delete(dueId);
      task.fn();
    }
    this.now = end;
  }
}

/** Lets pending promise continuations run. */
export async function settle() {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
