#!/usr/bin/env node
// The davs command: runs the CLI compiled to dist/ and bundled into dist/bundle/ (npm run build:
// tsc, then bin/bundle.mjs; npm ci builds it through prepare). When dist/ is missing or older than
// the TypeScript it is built from, it says so on stderr and runs the TypeScript through tsx (a
// runtime dependency), as before there was a build.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The folders tsconfig.build.json compiles. */
const SOURCES = ['core', 'extract', 'transform', 'load', 'checks', 'pipelines'];
/** Written by npm run build (prebuild creates it, postbuild renames it): its mtime is when the build started. */
const STAMP = join(ROOT, 'dist', '.built');

function mtime(path) {
  return statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? null;
}

/** Whether any source of the build (a .ts that is not a test; the tsconfigs) changed after the build started. */
function newerSource(dir, since) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false; // a folder removed while we look
  }
  for (const e of entries) {
    if (e.isDirectory()) {
      if (e.name !== 'fixtures' && e.name !== 'node_modules' && newerSource(join(dir, e.name), since)) return true;
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && (mtime(join(dir, e.name)) ?? 0) > since) {
      return true;
    }
  }
  return false;
}

function distIsFresh() {
  const built = mtime(STAMP);
  if (built === null) return false;
  if (['tsconfig.json', 'tsconfig.build.json'].some((f) => (mtime(join(ROOT, f)) ?? 0) > built)) return false;
  return !SOURCES.some((d) => newerSource(join(ROOT, d), built));
}

let main;
if (distIsFresh()) {
  ({ main } = await import('../dist/bundle/pipelines/cli.js'));
} else {
  // DAVS_NO_BUILD_WARNING=1: the tests, which run the davs command while the sources are being edited
  if (!process.env.DAVS_NO_BUILD_WARNING) process.stderr.write('davs: dist/ is missing or older than the sources; running the TypeScript through tsx (npm run build to start fast)\n');
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../pipelines/cli.ts'));
}
process.exitCode = await main(process.argv.slice(2));
