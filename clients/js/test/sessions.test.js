// Sessions against a real server: a reconnect takes the session over, and presence (`ondisconnect`) holds through
// a short outage and ends with the session.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../bite.js';
import { startBite, tcpClient, proxy, until } from './server.js';

async function valueOf(port, key) {
  const c = await tcpClient(port);
  try { return await c.request(`g ${key}`); } finally { c.close(); }
}

test('a reconnect takes the session over: the same token, the session kept', async (t) => {
  const bite = await startBite();
  t.after(() => bite.stop());
  const front = await proxy(bite.httpPort);
  t.after(() => front.close());
  const statuses = [];
  const client = await connect(front.url, { minBackoffMs: 20, maxBackoffMs: 200, onStatus: (s) => statuses.push(s) });
  t.after(() => client.close());
  const session = client.session;
  front.cut();
  await until('the client to reconnect', () => statuses.length === 3);
  assert.equal(client.session, session);
  assert.deepEqual(statuses.map((s) => [s.connected, s.sessionKept]), [[true, true], [false, undefined], [true, true]]);
});

test('presence: the key stays through a dropped connection, and goes when the session ends', async (t) => {
  const bite = await startBite({ args: ['--session-grace', '60s'] });
  t.after(() => bite.stop());
  const front = await proxy(bite.httpPort);
  t.after(() => front.close());
  const statuses = [];
  const ann = await connect(front.url, { minBackoffMs: 20, maxBackoffMs: 200, onStatus: (s) => statuses.push(s) });
  await ann.presence('room.7.players.ann', 'here'); // an ERR (no ondisconnect on the server) fails the test
  assert.equal(await valueOf(bite.tcpPort, 'room.7.players.ann'), 'here');
  front.cut();
  await until('ann to reconnect', () => statuses.length === 3);
  assert.equal(statuses.at(-1).sessionKept, true);
  assert.equal(await valueOf(bite.tcpPort, 'room.7.players.ann'), 'here', 'a short outage ends nothing');
  ann.close(); // quit: the session ends now, its actions run
  await until('the presence key to go', async () => (await valueOf(bite.tcpPort, 'room.7.players.ann')) === '');
});

test('presence: a client that never comes back is removed when its grace ends', async (t) => {
  const bite = await startBite({ args: ['--session-grace', '200ms'] });
  t.after(() => bite.stop());
  const front = await proxy(bite.httpPort);
  const bob = await connect(front.url);
  t.after(() => bob.close());
  await bob.presence('room.7.players.bob', 'here');
  const watcher = await connect(bite.url);
  t.after(() => watcher.close());
  const seen = [];
  await watcher.subscribe('room.7.players', { kind: 'k' }, (p) => seen.push(p.payload));
  await front.close(); // bob's network is gone for good: no reconnect gets through
  await until('bob to be removed', () => seen.includes('bob'));
  assert.equal(await valueOf(bite.tcpPort, 'room.7.players.bob'), '');
});
