/**
 * An error as it crosses from a document worker to the pool (pipelines/worker-pool.ts): what the
 * worker sends of it and what the pipeline records. Apart from the stage, so the pool can start
 * its workers without loading the stage's code (pipelines/cli.ts starts them first thing).
 */
import { z } from 'zod';
import { DavsError } from '../core/errors.js';

/** What failure() in the pipeline reads of an error. */
export const SentError = z.object({
  name: z.string(),
  message: z.string(),
  davs: z.object({ code: z.string(), stage: z.string(), document: z.string().optional() }).nullable(),
});
export type SentError = z.infer<typeof SentError>;

export function sendableError(err: unknown): SentError {
  if (err instanceof DavsError) return { name: err.name, message: err.message, davs: { code: err.code, stage: err.stage, ...(err.document === undefined ? {} : { document: err.document }) } };
  if (err instanceof Error) return { name: err.name, message: err.message, davs: null };
  return { name: 'Error', message: String(err), davs: null };
}

/** The error a worker sent, as the pipeline records it: a DavsError keeps its code and its whole message. */
export function receivedError(sent: SentError): Error {
  if (sent.davs === null) {
    const err = new Error(sent.message);
    err.name = sent.name;
    return err;
  }
  return new SentDavsError(sent);
}

class SentDavsError extends DavsError {
  constructor(sent: SentError) {
    super('', { code: sent.davs!.code as DavsError['code'], stage: sent.davs!.stage as DavsError['stage'], document: sent.davs!.document });
    this.message = sent.message;
    this.name = sent.name;
  }
}
