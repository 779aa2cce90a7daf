// Typechecking @ecrkit/transport-sigv4 from its sources (the canary test uses it) needs its
// ambient declaration of undici's internal Pool module, which its loadPool.ts does not reference.
declare module 'undici/lib/dispatcher/pool.js' {
  import type { Pool } from 'undici';
  const PoolClass: typeof Pool;
  export default PoolClass;
}
