// Test helpers against a real Bite server: start one (a child process on ports it picks), talk to it over TCP, and
// put a proxy in front of its HTTP port that a test can cut or point at a restarted server.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

if (typeof globalThis.WebSocket !== 'function') {
  throw new Error('no global WebSocket: use Node 22 or later, or Node 20 with --experimental-websocket');
}

/**
 * How to start the server: BITE_SERVER_COMMAND (a JSON array, set by the Maven test that runs these tests), else
 * `java -jar target/bite.jar` with the JDK 25 of JAVA_HOME.
 */
function serverCommand() {
  if (process.env.BITE_SERVER_COMMAND) return JSON.parse(process.env.BITE_SERVER_COMMAND);
  const jar = path.join(ROOT, 'target/bite.jar');
  if (!existsSync(jar)) throw new Error(`${jar} is missing: build it first (make build)`);
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin/java') : 'java';
  return [java, '-jar', jar];
}

/** Polls `condition` every few ms until it is true; fails after `ms` with `what`. */
export async function until(what, condition, ms = 15_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Starts a server with `args` after `--port 0 --http-port 0` (or the given ports); resolves once it logged both
 * ports. `stop()` sends SIGTERM and waits for the exit.
 */
export async function startBite({ args = [], httpPort = 0, tcpPort = 0, persist = false, dataDir = null } = {}) {
  const [command, ...rest] = serverCommand();
  const storage = persist ? ['--data', dataDir] : ['--no-persist'];
  const child = spawn(command, [...rest, '--port', String(tcpPort), '--http-port', String(httpPort), ...storage,
    '--log-level', 'info', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = [];
  let tcp = null;
  let http = null;
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const started = new Promise((resolve, reject) => {
    const read = (stream) => {
      let rest = '';
      stream.on('data', (chunk) => {
        rest += chunk;
        let nl;
        while ((nl = rest.indexOf('\n')) >= 0) {
          const line = rest.slice(0, nl);
          rest = rest.slice(nl + 1);
          log.push(line);
          const listening = /Bite listening on \S+:(\d+)$/.exec(line);
          if (listening) tcp = Number(listening[1]);
          const web = /HTTP listening on \S+:(\d+):/.exec(line);
          if (web && !http) http = Number(web[1]);
          if (tcp && http) resolve();
        }
      });
    };
    read(child.stdout);
    read(child.stderr);
    exited.then((code) => reject(new Error(`bite exited with ${code} before listening:\n${log.join('\n')}`)));
  });
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`bite did not start in 60 s:\n${log.join('\n')}`)), 60_000);
  });
  try {
    await Promise.race([started, timeout]);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  } finally {
    clearTimeout(timer);
  }
  return {
    tcpPort: tcp,
    httpPort: http,
    url: `ws://127.0.0.1:${http}/ws`,
    log,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** A fresh temporary data directory, removed by `remove()`. */
export function tempDir() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bite-js-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A protocol-2 TCP client: `request(line)` resolves with the reply line (no pushes on it: it never subscribes). */
export async function tcpClient(port) {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.setEncoding('utf8');
  const waiting = [];
  let rest = '';
  socket.on('data', (chunk) => {
    rest += chunk;
    let nl;
    while ((nl = rest.indexOf('\n')) >= 0) {
      const line = rest.slice(0, nl);
      rest = rest.slice(nl + 1);
      waiting.shift()?.resolve(line);
    }
  });
  socket.on('close', () => {
    for (const w of waiting.splice(0)) w.reject(new Error('connection closed'));
  });
  return {
    request(line) {
      return new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        socket.write(`${line}\n`);
      });
    },
    close() { socket.destroy(); },
  };
}

/**
 * A TCP proxy on a port of its own to `target` (a port, changeable): `cut()` drops every connection through it at
 * once, the way a lost network does.
 */
export async function proxy(target) {
  const pairs = new Set();
  const server = net.createServer((inbound) => {
    const outbound = net.connect(state.target, '127.0.0.1');
    const pair = [inbound, outbound];
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on('error', end).on('close', end);
    outbound.on('error', end).on('close', end);
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  const state = { target };
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    get url() { return `ws://127.0.0.1:${server.address().port}/ws`; },
    set target(port) { state.target = port; },
    get connections() { return pairs.size; },
    cut() {
      for (const [a, b] of [...pairs]) {
        a.destroy();
        b.destroy();
      }
    },
    close() {
      this.cut();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
