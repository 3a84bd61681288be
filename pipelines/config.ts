import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../core/index.js';
import { WorkbookLimits } from '../extract/index.js';
import { CONFIG_FILE } from './arguments.js';

/**
 * davs.config.json (optional, next to where davs runs, or --config FILE): limits on what one
 * document may cost to read. Every field has a documented default; an unknown key is an error.
 */
export const PdfLimitsConfig = z
  .object({
    timeoutMs: z.number().int().positive().default(60_000).describe('Wall-clock limit for parsing one PDF'),
    maxOutputBytes: z.number().int().positive().default(64 * 1024 * 1024).describe('Largest text output accepted from the PDF reader'),
    maxHeapMb: z.number().int().positive().default(1024).describe('Heap limit of the PDF reading process'),
  })
  .strict();

export const GuardsConfig = z
  .object({
    maxDocumentLoss: z.number().min(0).max(1).default(0.25).describe('Largest share of the last published run\'s loaded documents a run may lose and still publish'),
    maxCellLoss: z.number().min(0).max(1).default(0.25).describe('Largest share of the last published run\'s cells a run may lose and still publish'),
  })
  .strict();

export const Config = z
  .object({
    guards: GuardsConfig.default(GuardsConfig.parse({})),
    limits: z
      .object({
        workbook: WorkbookLimits.default(WorkbookLimits.parse({})),
        pdf: PdfLimitsConfig.default(PdfLimitsConfig.parse({})),
      })
      .strict()
      .default({ workbook: WorkbookLimits.parse({}), pdf: PdfLimitsConfig.parse({}) }),
    decisions: z
      .string()
      .min(1)
      .optional()
      .describe("Stewards' decisions file (davs review writes it); relative to the config file's folder; default checks/decisions.jsonl of the davs checkout"),
  })
  .strict();
export type Config = z.infer<typeof Config>;

export const DEFAULT_CONFIG: Config = Config.parse({});

/** The config the --config argument names (the file must exist), else CONFIG_FILE's, else the defaults. */
export function loadConfigArgument(file: string | undefined): Config {
  return loadConfig(file ?? CONFIG_FILE, file !== undefined);
}

/** Read and validate a config file; none at the default path means the defaults. */
export function loadConfig(path: string, required: boolean): Config {
  if (!existsSync(path)) {
    if (required) throw new UsageError(`config file ${path} does not exist`);
    return DEFAULT_CONFIG;
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`config file ${path} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = Config.safeParse(json);
  if (!parsed.success) throw new UsageError(`config file ${path} is not valid:\n${z.prettifyError(parsed.error)}`);
  const config = parsed.data;
  if (config.decisions !== undefined) config.decisions = resolve(dirname(resolve(path)), config.decisions);
  return config;
}
