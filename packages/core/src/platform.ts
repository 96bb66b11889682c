import { fail } from './errors.js';

/** The Node.js built-in modules convlab uses, by id. */
interface NodeModules {
  'node:crypto': typeof import('node:crypto');
  'node:fs': typeof import('node:fs');
  'node:os': typeof import('node:os');
  'node:path': typeof import('node:path');
  'node:v8': typeof import('node:v8');
  'node:worker_threads': typeof import('node:worker_threads');
  'node:zlib': typeof import('node:zlib');
}

/**
 * A Node.js built-in module, or null where there is none (a browser). Looked up when first needed
 * (`process.getBuiltinModule`, Node ≥ 20.16) instead of imported, so that `@convlab/core` loads,
 * and bundles, without Node: the kernels then run on the calling thread.
 */
export function nodeModule<K extends keyof NodeModules>(id: K): NodeModules[K] | null {
  const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return (p?.getBuiltinModule?.(id) as NodeModules[K] | undefined) ?? null;
}

/** {@link nodeModule} for what cannot work without Node (reading and writing files): throws elsewhere. */
export function requireNodeModule<K extends keyof NodeModules>(id: K, where: string): NodeModules[K] {
  const m = nodeModule(id);
  if (m === null) fail(where, `needs Node.js (${id}); this JavaScript engine has no file access`);
  return m;
}
