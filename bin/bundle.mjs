// npm run build, after tsc: each module davs starts a process with (the command, the document
// workers) bundled by esbuild, with the packages it imports,
// into dist/bundle/ (dist/bundle/pipelines/cli.js, and chunks the entries share or import
// dynamically under dist/bundle/chunks/), which is what runs (bin/davs.mjs, core/paths.ts).
//
// Why: Node 20 loads an ES module graph file by file (resolve, read, compile each). The command
// loaded about 560 files before it did anything (@duckdb/node-api 183, execa 105, zod 97, of them
// 65 of zod's locales), 0.58 s for `davs --help`, and each document worker about 180 more. Bundled,
// `davs --help` takes 0.27 s, and a cold night of the bundled corpus 2.93 s against 3.29 s (paired
// runs, issue 12). The same code runs: esbuild only joins the modules tsc wrote to dist/.
//
// Left as packages, loaded from node_modules at run time: DuckDB's native binding, pino and
// pino-pretty (pino finds its transports by name), tsx (only when running the TypeScript), and
// whatever the readers' .mjs files import (SheetJS, pdfjs): those files are loaded by path, not
// imported (extract/*/read.ts), so they are not in any bundle.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// the command, and the modules it starts as a process (from tsc's output, just written)
const { STARTED_MODULES } = await import(new URL('../dist/core/paths.js', import.meta.url).href);
const ENTRIES = ['pipelines/cli', ...STARTED_MODULES];

/**
 * zod's namespace objects (`import { z } from 'zod'`, and its core's) re-export every locale it has, so
 * a bundle holds all of them: 358 KB of the 1.3 MB a document worker loads, compiled by every
 * process davs starts. davs reports in English, the locale zod sets itself (classic/schemas.js
 * imports en.js on its own), and names no other: in the bundle `z.locales` has English only.
 */
const ENGLISH_ONLY = 'davs:zod-locales-english';
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => (/[\\/]zod[\\/]v4[\\/](classic|core)[\\/]/.test(args.importer) ? { path: ENGLISH_ONLY, namespace: ENGLISH_ONLY, pluginData: args.resolveDir } : undefined));
    b.onLoad({ filter: /.*/, namespace: ENGLISH_ONLY }, (args) => ({ contents: "export { default as en } from '../locales/en.js';", resolveDir: args.pluginData, loader: 'js' }));
  },
};

await rm(`${ROOT}dist/bundle`, { recursive: true, force: true });
await build({
  absWorkingDir: ROOT,
  entryPoints: ENTRIES.map((entry) => ({ in: `dist/${entry}.js`, out: entry })),
  outdir: 'dist/bundle',
  bundle: true,
  // dynamic imports stay dynamic: an unchanged night loads only what it needs (pipelines/cli.ts)
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['@duckdb/node-bindings', 'pino', 'pino-pretty', 'tsx'],
  // the CommonJS packages in a bundle (execa's cross-spawn, yauzl) call require(), which an ES module has not
  banner: { js: "import { createRequire as __davsCreateRequire } from 'node:module'; const require = __davsCreateRequire(import.meta.url);" },
  // through tsc's maps to the TypeScript: NODE_OPTIONS=--enable-source-maps gives stack traces in the sources
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [zodEnglishOnly],
});

// the warehouse's empty schema, which each new warehouse copies instead of making it (load/template.ts)
const { writeSchemaTemplate } = await import(new URL('../dist/load/template.js', import.meta.url).href);
await writeSchemaTemplate();
