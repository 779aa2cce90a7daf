// undici ships no types for its internal files; this one is its `Pool` class, loaded directly to
// skip the ~90 ms undici's full entry point costs to import (see the README's measurements).
declare module 'undici/lib/dispatcher/pool.js' {
  import type { Pool } from 'undici';
  const PoolClass: typeof Pool;
  export default PoolClass;
}
