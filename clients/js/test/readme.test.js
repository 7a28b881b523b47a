// The README's browser-game example, run as it is written against a real server: it must print what the README says.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBite, tempDir, until } from './server.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const README = readFileSync(path.join(HERE, '../../../README.md'), 'utf8');

/** The fenced block right after `<!-- MARKER -->`. */
function block(marker) {
  const at = README.indexOf(`<!-- ${marker} -->\n`);
  assert.ok(at >= 0, `README has <!-- ${marker} -->`);
  const m = /^```\w*\n([\s\S]*?)\n```/.exec(README.slice(at + marker.length + 10));
  assert.ok(m, `a fenced block follows <!-- ${marker} -->`);
  return m[1];
}

test('the README example prints what the README shows', async (t) => {
  const example = block('js example');
  const expected = block('js example output').split('\n');
  assert.ok(example.includes("'ws://127.0.0.1:1985/ws'") && example.includes("password: 'secret'"));

  const bite = await startBite({ args: ['--password', 'secret'] });
  t.after(() => bite.stop());
  const dir = tempDir();
  t.after(() => dir.remove());
  copyFileSync(path.join(HERE, '../bite.js'), path.join(dir.dir, 'bite.js'));
  const file = path.join(dir.dir, 'example.mjs');
  writeFileSync(file, example.replace('ws://127.0.0.1:1985/ws', bite.url));

  const run = spawn(process.execPath, [...process.execArgv.filter((a) => a.includes('websocket')), file],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => run.kill());
  let out = '';
  run.stdout.on('data', (chunk) => { out += chunk; });
  // the example keeps its connection open, as a game would: wait for its lines, then compare
  await until('the example to print its lines',
    () => out.split('\n').length > expected.length || run.exitCode !== null);
  assert.deepEqual(out.trimEnd().split('\n'), expected);
});
