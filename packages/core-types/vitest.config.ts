import { mergeConfig } from 'vitest/config';
import { packageTestConfig } from '../../vitest.shared.js';

// core-types is pure (no globals, no I/O), so its test files can share one module graph per
// worker: loading vitest and fast-check once instead of per file is most of the run time.
export default mergeConfig(packageTestConfig(), { test: { isolate: false } });
