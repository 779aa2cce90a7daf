import type { Pool } from 'undici';

let loading: Promise<typeof Pool> | undefined;

/**
 * undici's `Pool` class alone. Its full entry point also loads fetch, WebSocket, the cache
 * stores and the mock agents, several times the cost of the whole request path. The file is
 * undici-internal, so a layout change falls back on the public entry point.
 */
export function loadPool(): Promise<typeof Pool> {
  loading ??= import('undici/lib/dispatcher/pool.js')
    .then((module) => module.default)
    .catch(async () => (await import('undici')).Pool)
    .catch((err: unknown) => {
      loading = undefined;
      throw err;
    });
  return loading;
}
