import { mergeConfig } from 'vitest/config';
import { packageTestConfig } from '../../vitest.shared.js';

// Every test builds its own registry, clock and client, and nothing here sets globals, so test
// files can share one module graph per worker: loading the simulation once instead of per file
// is most of the run time.
export default mergeConfig(packageTestConfig(), { test: { isolate: false } });
