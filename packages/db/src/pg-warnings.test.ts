import { afterEach, describe, expect, it, vi } from "vitest";
import { silencePgQueuedQueryWarning } from "./pg-warnings.js";

describe("the pg queued-query warning", () => {
  afterEach(() => {
    process.removeAllListeners("warning");
  });

  it("is dropped, and every other warning still reaches listeners", async () => {
    silencePgQueuedQueryWarning();
    const seen: string[] = [];
    const listener = vi.fn((warning: Error) => seen.push(warning.message));
    process.on("warning", listener);
    process.emitWarning(
      "Calling client.query() when the client is already executing a query is deprecated and will be removed in pg@9.0.",
      "DeprecationWarning",
    );
    process.emitWarning("Something else is deprecated", "DeprecationWarning");
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(["Something else is deprecated"]);
  });
});
