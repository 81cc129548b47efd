#!/usr/bin/env node
// `npm start`: builds the server (and the web UI) when the build is missing or older than the
// sources, then serves. A fresh `npm install` has already built both (the `prepare` script), so
// this is normally just a freshness check of a few milliseconds.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Newest modification time of any file under `dir` (0 when it does not exist). */
function newest(dir) {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

function stale(output, ...sources) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return sources.some((source) => newest(path.join(root, source)) > built);
}

function run(script) {
  const result = spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (stale(path.join(root, 'dist/src/main.js'), 'src')) run('build:server');
if (existsSync(path.join(root, 'web')) && stale(path.join(root, 'web/dist/index.html'), 'web')) run('build:web');

process.argv.splice(2, process.argv.length, ...(process.argv.slice(2).length ? process.argv.slice(2) : ['serve']));
await import(pathToFileURL(path.join(root, 'dist/src/main.js')).href);
