import type { Pool } from 'undici';

let loading: Promise<typeof Pool> | undefined;
// A non-literal specifier: undici ships no types for its internal files, and an ambient module
// declaration would not be seen by packages that compile this file from source.
const poolModule: string = 'undici/lib/dispatcher/pool.js';

/**
 * undici's `Pool` class alone. Its full entry point also loads fetch, WebSocket, the cache
 * stores and the mock agents, several times the cost of the whole request path. The file is
 * undici-internal, so a layout change falls back on the public entry point.
 */
export function loadPool(): Promise<typeof Pool> {
  loading ??= (import(poolModule) as Promise<{ default: typeof Pool }>)
    .then((module) => module.default)
    .catch(async () => (await import('undici')).Pool)
    .catch((err: unknown) => {
      loading = undefined;
      throw err;
    });
  return loading;
}
