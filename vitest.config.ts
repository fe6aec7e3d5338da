import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 180_000,
    // Two cores: keep parallelism modest so loopback servers and emulators are not starved.
    maxWorkers: 2,
    globalSetup: ["test/global-setup.ts"],
  },
});
