/** The config file davs reads when --config names none: davs.config.json where it runs, if it is there. */
export const CONFIG_FILE = 'davs.config.json';

/** The options `davs run` reads (node:util parseArgs), shared by the CLI's unchanged-night check and the commands. */
export const RUN_OPTIONS = {
  raw: { type: 'string', default: 'raw' },
  warehouse: { type: 'string', default: 'warehouse' },
  'fail-on': { type: 'string', default: 'never' },
  'allow-shrink': { type: 'boolean', default: false },
  'log-level': { type: 'string' },
  config: { type: 'string' },
  decisions: { type: 'string' },
  'no-cache': { type: 'boolean', default: false },
} as const;
