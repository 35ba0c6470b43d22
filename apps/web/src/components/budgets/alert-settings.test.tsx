import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { renderWithIntl } from "@/test/render";
import { type AlertChannelItem, AlertSettings, type AlertSettingsProps } from "./alert-settings";

const channels: AlertChannelItem[] = [
  { id: "c-app", kind: "in_app", name: "Console", email: null, url: null, enabled: true },
  { id: "c-hook", kind: "webhook", name: "Ops hook", email: null, url: "https://hooks.example.com/aihub", enabled: true },
];

function setup(overrides: Partial<AlertSettingsProps> = {}) {
  const props: AlertSettingsProps = {
    thresholds: [50, 80, 100],
    channels,
    canWrite: true,
    onSave: vi.fn(),
    onTestChannel: vi.fn(async () => ({ ok: true, message: "HTTP 204" })),
    onCreateChannel: vi.fn(),
    ...overrides,
  };
  renderWithIntl(<AlertSettings {...props} />);
  return props;
}

describe("AlertSettings", () => {
  it("saves the thresholds deduplicated and ascending", async () => {
    const user = userEvent.setup();
    const props = setup();
    const input = screen.getByLabelText("Thresholds (% of the limit)");
    expect((input as HTMLInputElement).value).toBe("50, 80, 100");
    await user.clear(input);
    await user.type(input, "100, 25 90,25");
    await user.click(screen.getByRole("button", { name: "Save thresholds" }));
    expect(props.onSave).toHaveBeenCalledTimes(1);
    expect(props.onSave).toHaveBeenCalledWith({ alertThresholds: [25, 90, 100] });
  });

  it.each([
    ["", "Enter at least one threshold."],
    ["50, 8o", "Use whole numbers only."],
    ["0, 50", "Each threshold is between 1 and 1000."],
    ["1001", "Each threshold is between 1 and 1000."],
    ["1 2 3 4 5 6 7 8 9 10 11", "At most 10 thresholds."],
  ])("refuses %j with a message tied to the field, saving nothing", async (text, message) => {
    const user = userEvent.setup();
    const props = setup();
    const input = screen.getByLabelText("Thresholds (% of the limit)");
    await user.clear(input);
    if (text) await user.type(input, text);
    await user.click(screen.getByRole("button", { name: "Save thresholds" }));
    expect(screen.getByRole("alert").textContent).toBe(message);
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(input.getAttribute("aria-describedby")).toContain(screen.getByRole("alert").id);
    expect(props.onSave).not.toHaveBeenCalled();
  });

  it("sends a test to one channel and shows what came back", async () => {
    const user = userEvent.setup();
    const props = setup();
    await user.click(screen.getByRole("button", { name: "Send a test to Ops hook" }));
    expect(props.onTestChannel).toHaveBeenCalledWith("c-hook");
    const [, hook] = screen.getAllByTestId("alert-channel");
    if (!hook) throw new Error("no webhook row");
    expect(within(hook).getByRole("status").textContent).toBe("Test sent: HTTP 204");
  });

  it("shows a failed test as such", async () => {
    const user = userEvent.setup();
    setup({ onTestChannel: vi.fn(async () => ({ ok: false, message: "HTTP 500" })) });
    await user.click(screen.getByRole("button", { name: "Send a test to Ops hook" }));
    expect(screen.getByRole("status").textContent).toBe("Test failed: HTTP 500");
  });

  it("adds a webhook channel with its URL only", async () => {
    const user = userEvent.setup();
    const props = setup();
    await user.type(screen.getByLabelText("Name"), "Pager");
    await user.type(screen.getByLabelText("Webhook URL (https)"), "https://pager.example.com/in");
    await user.click(screen.getByRole("button", { name: "Add channel" }));
    expect(props.onCreateChannel).toHaveBeenCalledWith({ kind: "webhook", name: "Pager", url: "https://pager.example.com/in" });
  });

  it("is read-only without budget:write", () => {
    setup({ canWrite: false });
    expect(screen.queryByRole("button")).toBeNull();
    expect((screen.getByLabelText("Thresholds (% of the limit)") as HTMLInputElement).readOnly).toBe(true);
    expect(screen.getAllByTestId("alert-channel").map((c) => c.textContent)).toEqual([
      "In-appConsole",
      "WebhookOps hookhttps://hooks.example.com/aihub",
    ]);
  });
});
