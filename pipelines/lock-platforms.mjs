// npm run lock:platforms — after `npm install`, put back the lockfile entries of DuckDB's binaries
// for other platforms. The registry this project's machines reach serves only the linux builds of
// @duckdb/node-bindings-*, so npm leaves the others out of package-lock.json, and `npm ci` then
// refuses the lock as out of sync. Entries without `resolved` are fetched by version where needed.
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const parent = lock.packages['node_modules/@duckdb/node-bindings'];
let added = 0;
for (const [name, version] of Object.entries(parent?.optionalDependencies ?? {})) {
  const key = `node_modules/${name}`;
  if (lock.packages[key]) continue;
  const [, os, cpu, libc] = /node-bindings-(\w+)-(\w+?)(?:-(musl))?$/.exec(name) ?? [];
  lock.packages[key] = { version, cpu: [cpu], license: 'MIT', optional: true, os: [os], ...(libc ? { libc: [libc] } : {}) };
  added++;
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`added ${added} platform entries to package-lock.json\n`);
