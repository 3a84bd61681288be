import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where davs's own files are. The code runs either as TypeScript from the checkout (tests, tsx) or
 * compiled to dist/ (the davs command); its data files (the measure catalogue, the decisions file,
 * the readers' worker scripts) stay where they are in the checkout in both cases, so every module
 * names them relative to the package root, never relative to itself.
 */
function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'davs') return dir;
      } catch {
        // not ours: keep looking
      }
    }
    if (dirname(dir) === dir) throw new Error(`davs: no package.json of davs above ${from}`);
  }
}

const HERE = dirname(fileURLToPath(import.meta.url));

/** The folder holding davs's package.json. */
export const PACKAGE_ROOT = findPackageRoot(HERE);

/** The folder compiled JavaScript is written to (npm run build). */
export const COMPILED_DIR = join(PACKAGE_ROOT, 'dist');

/** Where npm run build bundles each module started as a process or thread (bin/bundle.mjs), by its path: dist/bundle/pipelines/cli.js. */
export const BUNDLE_DIR = join(COMPILED_DIR, 'bundle');

/** Whether this code runs compiled (from dist/, bundled or not) rather than as TypeScript. */
export const RUNNING_COMPILED = relative(COMPILED_DIR, HERE).split(sep)[0] !== '..';

/** A file of the checkout, by its path from the package root ('transform/measures.jsonl'). */
export function packagePath(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}

/**
 * The stewards' decisions file of this checkout, the default when neither --decisions nor the config
 * names another (checks/decisions.ts reads it; pipelines/unchanged.ts hashes it without loading that).
 */
export const DECISIONS_FILE = packagePath('checks', 'decisions.jsonl');

/**
 * The modules davs starts as a process, by their path from the package root without extension. npm
 * run build bundles each (and the command, pipelines/cli) into dist/bundle/ (bin/bundle.mjs reads
 * this list), so a module started by modulePath must be here.
 */
export const STARTED_MODULES = ['pipelines/document-worker'] as const;
export type StartedModule = (typeof STARTED_MODULES)[number];

/**
 * A module of davs to start in another process ('pipelines/document-worker'): its bundle,
 * dist/bundle/<path>.js, when running compiled, else <path>.ts (which the child runs under tsx: see
 * moduleExecArgv).
 */
export function modulePath(path: StartedModule): string {
  return RUNNING_COMPILED ? join(BUNDLE_DIR, `${path}.js`) : join(PACKAGE_ROOT, `${path}.ts`);
}

/** Node options a child needs to run modulePath(): tsx's loader when running as TypeScript. */
export function moduleExecArgv(): string[] {
  return RUNNING_COMPILED ? [] : ['--import', 'tsx'];
}
