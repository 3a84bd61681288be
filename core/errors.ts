import type { ZodError } from 'zod';
import { z } from 'zod';
import { formatLocator, type Locator } from './locator.js';

/** Every error code davs raises. Stable: stewards and logs key on them. */
export const ERROR_CODES = [
  'input-unreadable', // a file in raw/ cannot be read or decoded
  'input-invalid', // a document's content is not what its format promises
  'manifest-invalid', // raw/manifest.json fails its schema
  'contract-violation', // a stage output fails its zod contract
  'warehouse-locked', // another process holds the warehouse for writing
  'warehouse-write-failed', // DuckDB refused the load
  'usage', // bad command-line arguments
  'check-crashed', // a check threw while evaluating (recorded, run goes on)
  'duplicate-key', // a document's records collide on a warehouse key (the document is refused, the run goes on)
  'document-crashed', // a stage threw an unexpected error on one document (recorded, the run goes on)
  'publish-refused', // a guard kept a run from publishing (empty or shrunken corpus)
  'verify-differs', // davs verify: a rebuild or the published file differs from what run.json records
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type Stage = 'extract' | 'transform' | 'load' | 'checks' | 'report' | 'pipeline' | 'cli';

export interface DavsErrorOptions {
  code: ErrorCode;
  stage: Stage;
  document?: string | undefined;
  locator?: Locator | undefined;
  hint?: string | undefined;
  cause?: unknown;
}

/** One error type: says where, what, then what to do. */
export class DavsError extends Error {
  readonly code: ErrorCode;
  readonly stage: Stage;
  readonly document: string | undefined;
  readonly locator: Locator | undefined;
  readonly hint: string | undefined;

  constructor(what: string, options: DavsErrorOptions) {
    const where = options.locator ? formatLocator(options.locator) : options.document;
    const message = `[${options.code}] ${where ? `${where}: ` : ''}${what}${options.hint ? ` (${options.hint})` : ''}`;
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.stage = options.stage;
    this.document = options.document;
    this.locator = options.locator;
    this.hint = options.hint;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      stage: this.stage,
      document: this.document,
      locator: this.locator ? formatLocator(this.locator) : undefined,
      message: this.message,
      cause: this.cause instanceof Error ? this.cause.message : this.cause,
    };
  }
}

/** Bad input: the document is skipped, the run goes on. */
export class InputError extends DavsError {}

/** A stage output or a manifest broke its schema. */
export class ContractError extends DavsError {}

/** Bad command line or configuration: exit code 1 with a message, no stack trace. */
export class UsageError extends DavsError {
  readonly exitCode = 1;
  constructor(what: string, hint?: string) {
    super(what, { code: 'usage', stage: 'cli', hint });
  }
}

/** Validate `value` against `schema`; on failure throw a ContractError naming stage, document and zod path. */
export function parseContract<T extends z.ZodType>(
  schema: T,
  value: unknown,
  context: { stage: Stage; document?: string; what: string },
): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ContractError(`${context.what} breaks its contract:\n${z.prettifyError(result.error as ZodError)}`, {
    code: 'contract-violation',
    stage: context.stage,
    document: context.document,
  });
}
