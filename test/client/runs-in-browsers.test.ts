import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const clientDir = dirname(fileURLToPath(import.meta.resolve('herald/client')));

test('herald/client imports no Node built-ins, only its own files, errors.js, the wire parser and eventsource-parser', async () => {
  const files = (await readdir(clientDir)).filter((name) => name.endsWith('.js'));
  assert.ok(files.length > 5, `found ${files.length} files`);
  const specifiers = new Set<string>();
  for (const file of files) {
    const source = await readFile(`${clientDir}/${file}`, 'utf8');
    for (const match of source.matchAll(/(?:from\s*|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)) {
      specifiers.add(match[1] as string);
    }
    assert.doesNotMatch(source, /\brequire\s*\(|\bprocess\.|\bBuffer\b/, file);
  }
  for (const specifier of specifiers) {
    const allowed =
      specifier.startsWith('./') ||
      specifier === '../errors.js' ||
      specifier === '../wire/parse-event-stream.js' ||
      specifier === 'eventsource-parser';
    assert.ok(allowed, `unexpected import ${specifier}`);
  }
  assert.ok(specifiers.has('eventsource-parser'));
});

test('the core files the client imports (errors, the wire parser) import nothing themselves', async () => {
  for (const file of ['../errors.js', '../wire/parse-event-stream.js']) {
    const source = await readFile(`${clientDir}/${file}`, 'utf8');
    assert.doesNotMatch(source, /\bimport\b/, file);
    assert.doesNotMatch(source, /\brequire\s*\(|\bprocess\.|\bBuffer\b/, file);
  }
});
