import { CopyButton } from "@aihub/ui";
import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

describe("CopyButton", () => {
  afterEach(() => vi.useRealTimers());

  it("writes the value to the clipboard, says Copied, and goes back after the delay", async () => {
    const user = userEvent.setup();
    const writeText = vi.spyOn(navigator.clipboard, "writeText");
    const onCopied = vi.fn();
    render(<CopyButton value="ahk_live_secret" label="Copy key" copiedLabel="Copied" onCopied={onCopied} resetAfter={50} />);

    await user.click(screen.getByRole("button", { name: "Copy key" }));
    expect(writeText).toHaveBeenCalledWith("ahk_live_secret");
    await expect(navigator.clipboard.readText()).resolves.toBe("ahk_live_secret");
    expect(onCopied).toHaveBeenCalledTimes(1);
    expect(screen.getByRole("button").textContent).toBe("Copied");

    await act(() => new Promise((resolve) => setTimeout(resolve, 80)));
    expect(screen.getByRole("button").textContent).toBe("Copy key");
  });

  it("reports a refused clipboard instead of claiming success", async () => {
    const user = userEvent.setup();
    vi.spyOn(navigator.clipboard, "writeText").mockRejectedValueOnce(new Error("denied"));
    const onCopyFailed = vi.fn();
    render(<CopyButton value="x" label="Copy key" copiedLabel="Copied" onCopyFailed={onCopyFailed} />);
    await user.click(screen.getByRole("button", { name: "Copy key" }));
    expect(onCopyFailed).toHaveBeenCalledTimes(1);
    expect(screen.getByRole("button").textContent).toBe("Copy key");
  });
});
