import { packageTestConfig } from '../../vitest.shared.js';

// The shared `module` condition makes vite pick @smithy/core's bundler build (extension-less ESM
// imports that Node cannot load); resolve node_modules as Node itself would.
const config = packageTestConfig();
const conditions = ['@ecrkit/source', 'node', 'import', 'default'];
config.resolve = { ...config.resolve, conditions };
config.ssr = { ...config.ssr, resolve: { ...config.ssr?.resolve, conditions } };

export default config;
