import { defineConfig } from "vitest/config";
import { projects } from "./vitest.workspace.js";

export default defineConfig({
  test: {
    projects,
    reporters: process.env.CI_REPORT ? ["default", ["json", { outputFile: "reports/vitest.json" }]] : ["default"],
  },
});
