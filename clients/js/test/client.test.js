import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, BiteClient, BiteError } from '../bite.js';
import { FakeNetwork, FakeTimers, settle } from './fake.js';

const EPOCH = '9f1c2a7e5b3d4c61';
const EPOCH2 = '0123456789abcdef';
const SESSION = '6b8e0f3a9c2d4e5f7a1b3c5d7e9f0a2b';

async function connected(options = {}) {
  const net = new FakeNetwork();
  const timers = new FakeTimers();
  const opening = connect('ws://bite.test/ws', { transport: net.transport, timers, now: timers.clock, random: () => 1, ...options });
  net.last.accept();
  await settle();
  assert.deepEqual(net.last.sent, ['hello 3']);
  net.last.deliver(`=OK 3 ${EPOCH} ${SESSION}`);
  const client = await opening;
  return { client, net, timers };
}

test('hello 3 opens the session', async () => {
  const { client } = await connected();
  assert.equal(client.epoch, EPOCH);
  assert.equal(client.session, SESSION);
});

test('auth goes before hello, and a refused password fails connect', async () => {
  const net = new FakeNetwork();
  const timers = new FakeTimers();
  const opening = connect('ws://h/ws', { transport: net.transport, timers, now: timers.clock, password: 'secret' });
  net.last.accept();
  await settle();
  assert.deepEqual(net.last.sent, ['auth secret']);
  net.last.deliver('ERR invalid password');
  await assert.rejects(opening, (e) => e instanceof BiteError && e.message === 'ERR invalid password');
  await settle();
  assert.equal(net.sockets.length, 1, 'no reconnect after a refused first handshake');
});

test('auth with a user, then hello', async () => {
  const net = new FakeNetwork();
  const timers = new FakeTimers();
  const opening = connect('ws://h/ws', { transport: net.transport, timers, now: timers.clock, user: 'ann', password: 'pw' });
  net.last.accept();
  await settle();
  net.last.deliver('OK');
  await settle();
  assert.deepEqual(net.last.sent, ['auth ann pw', 'hello 3']);
  net.last.deliver(`=OK 3 ${EPOCH} ${SESSION}`);
  await opening;
});

test('replies settle requests in order, ERR rejects', async () => {
  const { client, net } = await connected();
  const set = client.set('a', 'one two');
  const get = client.get('a');
  const bad = client.request('bogus x');
  const count = client.incr('n');
  assert.deepEqual(net.last.sent.slice(1), ['s a one two', 'g a', 'bogus x', '+1 n']);
  net.last.deliver('=OK', '=one two', "=ERR unknown command 'bogus'", '=7');
  assert.equal(await set, 'OK');
  assert.equal(await get, 'one two');
  await assert.rejects(bad, (e) => e.reply === "ERR unknown command 'bogus'");
  assert.equal(await count, 7);
  await assert.rejects(client.request('a\nb'), /newline/);
});

test('pushes go to their subscription, even in the same message as the reply', async () => {
  const { client, net } = await connected();
  const room = [];
  const names = [];
  const subscribing = client.subscribe('room.7', { kind: 'k' }, (p) => room.push(p));
  net.last.deliver('=OK 40', '>k room.7 41 p1.x 11');
  const sub = await subscribing;
  const gSub = client.subscribe('name', { kind: 'g' }, (p) => names.push(p.payload));
  net.last.deliver('=OK 41', '>g name 42 ', '>k room.7 43 p1', '>x nothing 1 x');
  await gSub;
  assert.deepEqual(net.last.sent.slice(1), ['#k room.7', '#g name']);
  assert.deepEqual(room, [
    { kind: 'k', key: 'room.7', rev: 41, payload: 'p1.x 11' },
    { kind: 'k', key: 'room.7', rev: 43, payload: 'p1' }]);
  assert.deepEqual(names, ['']);
  assert.equal(sub.rev, 43);
});

test('a dropped connection fails waiting requests, reconnects with the session and resumes from its revision', async () => {
  const { client, net, timers } = await connected();
  const seen = [];
  const s = client.subscribe('room', { kind: 'k', every: 50 }, (p) => seen.push(p.rev));
  net.last.deliver('=OK 40', '>k room 41 a 1');
  await s;
  const lost = client.get('x');
  net.last.close();
  await settle();
  await assert.rejects(lost, /connection lost/);
  await assert.rejects(client.get('x'), /not connected/);

  timers.advance(100);
  assert.equal(net.sockets.length, 2);
  net.last.accept();
  await settle();
  assert.deepEqual(net.last.sent, [`hello 3 ${SESSION}`]);
  net.last.deliver(`=OK 3 ${EPOCH} ${SESSION}`);
  await settle();
  assert.deepEqual(net.last.sent.slice(1), [`#k room from=${EPOCH}:41 every=50`, 'j room']);
  // the replay overlaps what was seen (41): only 42 is new
  net.last.deliver('>k room 41 a 1', '>k room 42 a 2', '=OK 42', '={"a":"2"}');
  await settle();
  assert.deepEqual(seen, [41, 42]);
  const after = client.get('a'); // open again for the application
  net.last.deliver('=2');
  assert.equal(await after, '2');
});

test('a resume the server cannot replay reloads the subtree', async () => {
  const statuses = [];
  const { client, net, timers } = await connected({ onStatus: (s) => statuses.push(s) });
  const resets = [];
  const s = client.subscribe('room', { onReset: (json) => resets.push(json) });
  net.last.deliver('=OK 40');
  await s;
  net.last.close();
  await settle();
  timers.advance(100);
  net.last.accept();
  await settle();
  const SESSION2 = 'f'.repeat(32);
  net.last.deliver(`=OK 3 ${EPOCH2} ${SESSION2}`); // the server restarted: a new epoch, the session is gone
  await settle();
  assert.deepEqual(net.last.sent.slice(1), [`#k room from=${EPOCH}:40`, 'j room']);
  net.last.deliver('=NO 3', '={"a":{"b":"1"}}');
  await settle();
  assert.deepEqual(resets, [{ a: { b: '1' } }]);
  assert.equal(client.epoch, EPOCH2);
  assert.equal(client.session, SESSION2);
  assert.deepEqual(statuses.map((s) => [s.connected, s.sessionKept]), [[true, true], [false, undefined], [true, false]]);
});

test('a mirror loads the subtree behind its subscribe and applies the pushes after it, even in one message', async () => {
  const { client, net, timers } = await connected();
  const mirroring = client.mirror('room');
  assert.deepEqual(net.last.sent.slice(1), ['#k room', 'j room']);
  // a push before the j reply is already in it; the one after it in the same message is newer
  net.last.deliver('=OK 7', '>k room 8 a.b 1', '={"a":{"b":"1"},"c":"2"}', '>k room 9 c');
  const mirror = await mirroring;
  assert.deepEqual(mirror.tree(), { a: { b: '1' } });
  assert.deepEqual([...mirror.values], [['a.b', '1']]);

  // after a restart the resume is refused: the reload replaces the view, the pushes behind it apply on top
  net.last.close();
  await settle();
  timers.advance(100);
  net.last.accept();
  await settle();
  net.last.deliver(`=OK 3 ${EPOCH2} ${'f'.repeat(32)}`);
  await settle();
  assert.deepEqual(net.last.sent.slice(1), [`#k room from=${EPOCH}:9`, 'j room']);
  net.last.deliver('=NO 2', '={"x":"1","y":{"z":"2"}}', '>k room 3 x', '>k room 4 y.z 5');
  await settle();
  assert.deepEqual(mirror.tree(), { y: { z: '5' } });
  assert.deepEqual([...mirror.values], [['y.z', '5']]);
});

test('a mirror shows a key that has descendants as an object, as j does', async () => {
  const { client, net } = await connected();
  const mirroring = client.mirror('r');
  net.last.deliver('=OK 1', '={}', '>k r 2 a 1', '>k r 3 a.b 2', '>k r 4 c 3');
  const mirror = await mirroring;
  assert.deepEqual(mirror.tree(), { a: { b: '2' }, c: '3' });
});

test('reconnect backs off exponentially up to the maximum', async () => {
  const { net, timers } = await connected({ minBackoffMs: 100, maxBackoffMs: 400 });
  const gaps = [];
  for (let i = 0; i < 4; i++) {
    const before = net.sockets.length;
    net.last.close();
    await settle();
    const start = timers.now;
    while (net.sockets.length === before) timers.advance(10);
    gaps.push(timers.now - start);
  }
  assert.deepEqual(gaps, [100, 200, 400, 400]);
});

test('heartbeat sends ping, and closes a connection that went silent', async () => {
  const { net, timers } = await connected({ heartbeatMs: 1000 });
  timers.advance(1000);
  assert.deepEqual(net.last.sent.slice(1), ['ping']);
  net.last.deliver('=PONG');
  timers.advance(1000);
  timers.advance(1000);
  assert.equal(net.last.closed, false);
  timers.advance(2000); // nothing received for over three beats
  assert.equal(net.sockets[0].closed, true);
});

test('presence sets the key and registers its deletion', async () => {
  const { client, net } = await connected();
  const p = client.presence('room.7.players.ann', 'here');
  await settle();
  net.last.deliver('=OK');
  await settle();
  net.last.deliver('=OK');
  await p;
  assert.deepEqual(net.last.sent.slice(1), ['s room.7.players.ann here', 'ondisconnect d room.7.players.ann']);
});

test('unsubscribe keeps the other kinds on the same key', async () => {
  const { client, net } = await connected();
  const k = client.subscribe('room', { kind: 'k' });
  net.last.deliver('=OK 5');
  const sub = await k;
  const g = client.subscribe('room', { kind: 'g' });
  net.last.deliver('=OK 5');
  await g;
  const done = sub.unsubscribe();
  await settle();
  net.last.deliver('=OK');
  await settle();
  net.last.deliver('=OK 5');
  await done;
  assert.deepEqual(net.last.sent.slice(3), ['#- room', `#g room from=${EPOCH}:5`]);
});

test('close quits and never reconnects', async () => {
  const { client, net, timers } = await connected();
  const waiting = client.get('a');
  client.close();
  await assert.rejects(waiting, /client closed/);
  assert.equal(net.last.sent.at(-1), 'quit');
  await settle();
  timers.advance(60_000);
  assert.equal(net.sockets.length, 1);
  await assert.rejects(client.get('a'), /client closed/);
});

test('a client that never connects rejects', async () => {
  const net = new FakeNetwork();
  const timers = new FakeTimers();
  const client = new BiteClient('ws://h/ws', { transport: net.transport, timers, now: timers.clock });
  net.last.close();
  await assert.rejects(client.ready, /could not connect/);
});
