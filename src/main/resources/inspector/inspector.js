// Bite inspector: log in, browse the keys, watch a subtree live, set and delete keys, and `info` as a dashboard.
// Plain ES module on top of the JS client (bite.js, served beside this file); the page talks protocol 3 over /ws.

import { connect } from './bite.js';

const $ = (id) => document.getElementById(id);
const MAX_ROWS = 1000; // rows the tree shows; the rest is counted
const FLASH_MS = 1500; // how long a changed key stays highlighted
const MAX_EVENTS = 100;

let bite = null;
let view = { path: '', values: new Map(), mirror: null }; // what the key table shows: relative key -> value
const changedAt = new Map(); // relative key -> when a push last changed it
let renderQueued = false;

// --- log in ----------------------------------------------------------------------------------------------------------

$('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('login-error').textContent = '';
  const password = $('password').value || null;
  const user = $('user').value || null;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  try {
    bite = await connect(`${scheme}://${location.host}/ws`, { password, user, onStatus: showStatus });
  } catch (e) {
    $('login-error').textContent = e.message;
    return;
  }
  $('login').hidden = true;
  $('app').hidden = false;
  refreshInfo();
  setInterval(refreshInfo, 2000);
  browse(decodeURIComponent(location.hash.slice(1)));
});

function showStatus({ connected, session }) {
  $('status').textContent = connected ? `connected · session ${session.slice(0, 8)}…` : 'reconnecting…';
  $('status').className = `status ${connected ? 'online' : 'offline'}`;
}

// --- dashboard: `info` -----------------------------------------------------------------------------------------------

async function refreshInfo() {
  let info;
  try {
    info = JSON.parse(await bite.request('info'));
  } catch {
    return; // not connected now: the next tick tries again
  }
  const cards = [];
  for (const [name, value] of Object.entries(info)) {
    if (value !== null && typeof value === 'object') {
      for (const [inner, v] of Object.entries(value)) cards.push([`${name}.${inner}`, v]);
    } else {
      cards.push([name, value]);
    }
  }
  $('info').replaceChildren(...cards.map(([name, value]) => {
    const card = element('div', 'card');
    card.append(element('b', null, shown(name, value)), element('span', null, name.replaceAll('_', ' ')));
    return card;
  }));
  $('info-time').textContent = `as of ${new Date().toLocaleTimeString()}`;
}

function shown(name, value) {
  if (typeof value === 'number' && name.endsWith('_bytes')) return `${(value / 1048576).toFixed(1)} MiB`;
  if (typeof value === 'number') return value.toLocaleString('en');
  return String(value);
}

// --- the key table: a `k` listing of everything, or a live mirror (`#k KEY` + `j KEY`) of one subtree ----------------

$('browse').addEventListener('submit', (event) => {
  event.preventDefault();
  browse($('path').value.trim());
});
$('up').addEventListener('click', () => browse(view.path.split('.').slice(0, -1).join('.')));

async function browse(path) {
  $('path').value = path;
  history.replaceState(null, '', path ? `#${encodeURIComponent(path)}` : '#');
  if (view.mirror) view.mirror.unsubscribe().catch(() => {});
  view = { path, values: new Map(), mirror: null };
  changedAt.clear();
  try {
    if (path === '') {
      view.values = parseListing(await bite.request('k'));
      $('watching').textContent = 'every key, as of now: open a key to watch it live';
    } else {
      const current = view;
      const mirror = await bite.mirror(path, { onChange: (m, push) => changed(current, push) });
      if (view !== current) {
        mirror.unsubscribe().catch(() => {}); // another browse began meanwhile
        return;
      }
      view.values = mirror.values;
      view.mirror = mirror;
      $('watching').textContent = `watching ${path} live: changed keys flash`;
    }
  } catch (e) {
    $('watching').textContent = e.message;
  }
  render();
}

/** `k`'s reply: `KEY VALUE` items separated by NUL. */
function parseListing(listing) {
  const values = new Map();
  if (listing === '') return values;
  for (const item of listing.split('\0')) {
    const space = item.indexOf(' ');
    values.set(item.slice(0, space), item.slice(space + 1));
  }
  return values;
}

function changed(current, push) {
  if (current !== view) return;
  if (push) {
    const space = push.payload.indexOf(' ');
    changedAt.set(space < 0 ? push.payload : push.payload.slice(0, space), performance.now());
    logEvent(push);
  }
  if (!renderQueued) {
    renderQueued = true;
    requestAnimationFrame(render);
  }
}

function fullKey(relative) {
  return view.path ? `${view.path}.${relative}` : relative;
}

/** The table: every key in order, with a row for each parent that has no value of its own. */
function render() {
  renderQueued = false;
  const now = performance.now();
  const rows = [];
  const shownParents = new Set();
  const keys = [...view.values.keys()].sort();
  for (const relative of keys) {
    if (rows.length >= MAX_ROWS) break;
    const names = relative.split('.');
    for (let depth = 1; depth < names.length; depth++) {
      const parent = names.slice(0, depth).join('.');
      if (!shownParents.has(parent) && !view.values.has(parent)) {
        shownParents.add(parent);
        rows.push(row(parent, depth - 1, null, now));
      }
    }
    shownParents.add(relative);
    rows.push(row(relative, names.length - 1, view.values.get(relative), now));
  }
  $('tree').tBodies[0].replaceChildren(...rows);
  $('tree-more').textContent = keys.length > MAX_ROWS ? `${keys.length} keys; the first ${MAX_ROWS} rows are shown` :
    keys.length === 0 ? 'no keys here' : `${keys.length} keys`;
}

function row(relative, depth, value, now) {
  const key = fullKey(relative);
  const tr = element('tr', value === null ? 'node' : 'leaf');
  tr.dataset.key = key;
  const since = now - (changedAt.get(relative) ?? -Infinity);
  if (since < FLASH_MS) {
    tr.classList.add('flash');
    tr.style.animationDelay = `${-since}ms`; // a re-render continues the flash instead of restarting it
  }
  const name = element('td', 'key');
  name.style.paddingLeft = `${depth * 1.2 + 0.4}rem`;
  const link = element('a', null, relative.split('.').at(-1));
  link.href = `#${encodeURIComponent(key)}`;
  link.title = key;
  link.addEventListener('click', (event) => {
    event.preventDefault();
    browse(key);
  });
  name.append(link);
  const remove = element('button', 'small', '✕');
  remove.title = value === null ? `dd ${key}: delete the subtree` : `d ${key}`;
  remove.addEventListener('click', () => run(value === null ? `dd ${key}` : `d ${key}`));
  const actions = element('td');
  actions.append(remove);
  tr.append(name, element('td', 'value', value ?? ''), actions);
  tr.addEventListener('dblclick', () => {
    $('set-key').value = key;
    $('set-value').value = value ?? '';
  });
  return tr;
}

function logEvent(push) {
  const item = element('li', null, `#${push.rev}  ${push.payload}`);
  $('events').prepend(item);
  while ($('events').children.length > MAX_EVENTS) $('events').lastChild.remove();
}

// --- set and delete --------------------------------------------------------------------------------------------------

$('set').addEventListener('submit', (event) => {
  event.preventDefault();
  run(`s ${$('set-key').value.trim()} ${$('set-value').value}`);
});
$('delete').addEventListener('click', () => run(`d ${$('set-key').value.trim()}`));

async function run(line) {
  try {
    $('set-result').textContent = `${line} → ${await bite.request(line)}`;
  } catch (e) {
    $('set-result').textContent = `${line} → ${e.message}`;
  }
  if (!view.mirror) browse(view.path); // a listing is not live: read it again
}

function element(tag, className = null, text = null) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== null) node.textContent = text;
  return node;
}
