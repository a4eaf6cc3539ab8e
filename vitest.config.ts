import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Statistical validation tests run many events; give them room on a shared 2-core machine.
    testTimeout: 60_000,
  },
});
