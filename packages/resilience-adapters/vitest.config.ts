import { defineConfig } from 'vitest/config';
import { packageTestConfig } from '../../vitest.shared.js';

// The shared config resolves the `module` condition, which picks OpenTelemetry's bundler-only ESM
// build (extensionless imports that Node cannot load). Node itself never uses `module`, so drop it.
const config = packageTestConfig();
const conditions = ['@ecrkit/source', 'import', 'node', 'default'];
export default defineConfig({ ...config, resolve: { ...config.resolve, conditions }, ssr: { ...config.ssr, resolve: { ...config.ssr?.resolve, conditions } } });
