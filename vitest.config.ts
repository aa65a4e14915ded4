import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// One run for every workspace's unit and integration tests; e2e runs in Playwright.
export default defineConfig({
  resolve: {
    alias: {
      '@eddy/shared': here('./packages/shared/src/index.ts'),
      '@eddy/runtime': here('./packages/runtime/src/index.ts'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'apps/*/src/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A real Kafka broker for the connector tests (KAFKA_BROKERS), and the stop of the one local Flink the Flink tests share: see the files.
    globalSetup: ['./apps/server/src/test-utils/kafka-global-setup.ts', './apps/server/src/test-utils/flink-global-setup.ts'],
  },
});
