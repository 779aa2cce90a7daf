import { mergeConfig } from 'vitest/config';
import { packageTestConfig } from '../../vitest.shared.js';

// The suites mostly wait on CLI subprocesses, so two files at a time keep both cores busy
// (the default on a two-core machine is one worker).
export default mergeConfig(packageTestConfig(), { test: { maxWorkers: 2 } });
