// The client against a real Bite server over its WebSocket transport: each test starts its own server (port 0).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, BiteError } from '../bite.js';
import { startBite, tcpClient, proxy, tempDir, until } from './server.js';

const PASSWORD = 'open sesame';

/** A transport that records every line the client sends. */
function recording(sent) {
  return (url) => {
    const socket = new WebSocket(url);
    const send = socket.send.bind(socket);
    socket.send = (data) => {
      sent.push(...data.split('\n').slice(0, -1));
      send(data);
    };
    return socket;
  };
}

test('connects with the password, says hello 3, and matches pipelined replies in order', async (t) => {
  const bite = await startBite({ args: ['--password', PASSWORD] });
  t.after(() => bite.stop());
  await assert.rejects(connect(bite.url, { password: 'wrong' }),
    (e) => e instanceof BiteError && /ERR/.test(e.message));

  const client = await connect(bite.url, { password: PASSWORD });
  t.after(() => client.close());
  assert.match(client.epoch, /^[0-9a-f]{16}$/);
  assert.match(client.session, /^[0-9a-f]{32}$/);
  const replies = await Promise.allSettled([
    client.set('a', 'one two'), client.get('a'), client.request('bogus x'), client.incr('n'), client.incr('n'),
    client.get('nothing'), client.json('a'), client.ping()]);
  assert.deepEqual(replies.map((r) => r.status === 'fulfilled' ? r.value : r.reason.reply),
    ['OK', 'one two', "ERR unknown command 'bogus'", 1, 2, '', 'one two', 'PONG']);
});

test('subscriptions get their own pushes: kind k, g and j, and every= batches keeping the latest', async (t) => {
  const bite = await startBite();
  t.after(() => bite.stop());
  const client = await connect(bite.url);
  t.after(() => client.close());
  const seen = { k: [], g: [], j: [], every: [] };
  await client.subscribe('room', { kind: 'k' }, (p) => seen.k.push(p.payload));
  await client.subscribe('room.name', { kind: 'g' }, (p) => seen.g.push(p.payload));
  await client.subscribe('room.p1', { kind: 'j' }, (p) => seen.j.push(p.payload));
  const other = await connect(bite.url);
  t.after(() => other.close());
  await other.subscribe('room', { kind: 'k', every: 1000 }, (p) => seen.every.push(p.payload));

  // one pipelined burst of 102 events
  const burst = [client.set('room.name', 'lobby')];
  for (let i = 1; i <= 100; i++) burst.push(client.set('room.p1.x', String(i)));
  burst.push(client.del('room.name'));
  await Promise.all(burst);
  const xs = Array.from({ length: 100 }, (_, i) => `p1.x ${i + 1}`);
  assert.deepEqual(seen.k, ['name lobby', ...xs, 'name']);
  assert.deepEqual(seen.g, ['lobby', '']);
  assert.deepEqual(seen.j, xs.map((x) => `{"x":"${x.slice(5)}"}`));
  // every=1000: at most one push per key per window, the latest, in revision order
  await until('the every= batches to end with the latest', () =>
    seen.every.filter((p) => p.startsWith('p1.x')).at(-1) === 'p1.x 100' && seen.every.at(-1) === 'name');
  assert.ok(seen.every.length < 20, `far fewer pushes than events (the burst spans a few windows): ${seen.every}`);
  assert.deepEqual(seen.every.filter((p) => p.startsWith('p1.x')).map((p) => Number(p.slice(5))),
    seen.every.filter((p) => p.startsWith('p1.x')).map((p) => Number(p.slice(5))).sort((a, b) => a - b));
});

test('heartbeat: ping goes out on its own and is answered', async (t) => {
  const bite = await startBite();
  t.after(() => bite.stop());
  const sent = [];
  const client = await connect(bite.url, { heartbeatMs: 50, transport: recording(sent) });
  t.after(() => client.close());
  await until('three pings', () => sent.filter((l) => l === 'ping').length >= 3);
  assert.equal(client.pending.length <= 1, true, 'every ping but the last was answered');
  assert.equal(await client.get('x'), '');
});

/** A writer that makes `count` changes to room.* over TCP; `run` resolves with how many the server answered. */
function stream(port, count) {
  let done = 0;
  const dial = () => until('the server to accept', async () => {
    try {
      return await tcpClient(port());
    } catch {
      return null; // restarting
    }
  }, 60_000);
  const run = (async () => {
    let writer = await dial();
    for (let i = 0; i < count; i++) {
      const player = `p${i % 7}`;
      const line = i % 11 === 10 ? `dd room.${player}`
        : i % 5 === 4 ? `d room.${player}.y`
          : `s room.${player}.${i % 3 ? 'x' : 'y'} ${i}`;
      try {
        await writer.request(line);
        done++;
      } catch {
        writer = await dial(); // the server restarted
      }
    }
    writer.close();
    return done;
  })();
  return { get done() { return done; }, run };
}

async function serverRoom(port) {
  const c = await tcpClient(port);
  try {
    return JSON.parse(await c.request('j room'));
  } finally {
    c.close();
  }
}

test('a dropped connection in the middle of a stream: the client asks for its session back, from= replays the gap,'
  + ' the room ends equal', async (t) => {
  const bite = await startBite();
  t.after(() => bite.stop());
  const front = await proxy(bite.httpPort);
  t.after(() => front.close());
  const sent = [];
  const statuses = [];
  const client = await connect(front.url, { transport: recording(sent), minBackoffMs: 20, maxBackoffMs: 200,
    onStatus: (s) => statuses.push(s) });
  t.after(() => client.close());
  const session = client.session;
  let reloads = 0;
  const room = await client.mirror('room', { onChange: (_, push) => { if (push === null) reloads++; } });

  const writer = stream(() => bite.tcpPort, 3000);
  await until('the stream to start', () => writer.done > 300);
  front.cut();
  await until('the client to reconnect', () => statuses.length === 3);
  assert.equal(await writer.run, 3000, 'the stream went on while the client was away');

  const expected = await serverRoom(bite.tcpPort);
  await until('the mirror to catch up', () => JSON.stringify(room.tree()) === JSON.stringify(expected));
  assert.deepEqual(room.tree(), expected);
  assert.ok(sent.includes(`hello 3 ${session}`), 'asked to take its session over');
  assert.ok(sent.some((l) => l.startsWith(`#k room from=${client.epoch}:`)), 'resumed from its revision');
  assert.equal(reloads, 1, 'the gap was replayed, not reloaded');
  assert.deepEqual(statuses.map((s) => s.connected), [true, false, true]);
  assert.equal(statuses.at(-1).sessionKept, client.session === session, 'told whether the session was kept');
});

test('a server restart in the middle of a stream: =NO, the room is reloaded with j and ends equal', async (t) => {
  const data = tempDir();
  t.after(() => data.remove());
  let bite = await startBite({ persist: true, dataDir: data.dir });
  t.after(() => bite.stop());
  const front = await proxy(bite.httpPort);
  t.after(() => front.close());
  const statuses = [];
  const client = await connect(front.url, { minBackoffMs: 20, maxBackoffMs: 200, onStatus: (s) => statuses.push(s) });
  t.after(() => client.close());
  const firstEpoch = client.epoch;
  let reloads = 0;
  const room = await client.mirror('room', { every: 20, onChange: (_, push) => { if (push === null) reloads++; } });

  const writer = stream(() => bite.tcpPort, 2000);
  await until('the stream to start', () => writer.done > 300);
  await bite.stop();
  bite = await startBite({ persist: true, dataDir: data.dir });
  front.target = bite.httpPort;
  await writer.run;

  const expected = await serverRoom(bite.tcpPort);
  await until('the mirror to catch up', () => JSON.stringify(room.tree()) === JSON.stringify(expected));
  assert.deepEqual(room.tree(), expected);
  assert.notEqual(client.epoch, firstEpoch);
  assert.equal(reloads, 2, 'loaded at the start, reloaded after the restart');
  assert.equal(statuses.at(-1).sessionKept, false, 'a stopped server ends its sessions');
});
