import { defineConfig } from 'vitest/config';

/** Shared vitest settings: run on sources through the `@ecrkit/source` export condition, report JSON for CI. */
export function packageTestConfig() {
  // No 'module' condition: it picks bundler-only builds (e.g. @smithy/core's) that Node cannot load.
  const conditions = ['@ecrkit/source', 'node', 'import', 'default'];
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['@ecrkit/source'] } },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      reporters: ['default', 'json'],
      outputFile: { json: 'reports/vitest.json' },
      testTimeout: 20_000,
      hookTimeout: 30_000,
      typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    },
  });
}
