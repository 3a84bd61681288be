export * from './errors.js';
export * from './figure.js';
export * from './fs.js';
export * from './hash.js';
export * from './locator.js';
export * from './sort.js';
export * from './paths.js';
export * from './memory.js';
