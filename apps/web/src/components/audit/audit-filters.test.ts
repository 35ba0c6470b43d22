import { describe, expect, it } from "vitest";
import { exportQuery, toApiFilters } from "./audit-filters";

const ACTIONS = ["member.role_updated", "organization.created"];
const TARGETS = ["member", "organization"];
const empty = { action: "", actor: "", targetType: "", target: "", from: "", to: "" };

describe("audit filters from the URL", () => {
  it("passes known values and turns days into a half-open UTC range (the `to` day included)", () => {
    const filters = toApiFilters(
      {
        action: "member.role_updated",
        actor: "0b6f7e0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
        targetType: "member",
        target: " abc ",
        from: "2026-11-01",
        to: "2026-11-03",
      },
      ACTIONS,
      TARGETS,
    );
    expect(filters).toEqual({
      action: "member.role_updated",
      actorId: "0b6f7e0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
      targetType: "member",
      targetId: "abc",
      from: new Date("2026-11-01T00:00:00Z"),
      to: new Date("2026-11-04T00:00:00Z"),
    });
  });

  it("leaves out what the API would refuse: unknown actions and types, a malformed actor or day, a range ending before it starts", () => {
    const filters = toApiFilters(
      { action: "drop.table", actor: "not-an-id", targetType: "planet", target: "  ", from: "2026-11-05", to: "2026-11-01" },
      ACTIONS,
      TARGETS,
    );
    expect(filters).toEqual({
      action: undefined,
      actorId: undefined,
      targetType: undefined,
      targetId: undefined,
      from: new Date("2026-11-05T00:00:00Z"),
      to: undefined,
    });
    expect(toApiFilters({ ...empty, from: "2026-13-45" }, ACTIONS, TARGETS).from).toBeUndefined();
  });

  it("builds the export's query string from the same filters", () => {
    const filters = toApiFilters({ ...empty, action: "organization.created", to: "2026-11-03" }, ACTIONS, TARGETS);
    expect(Object.fromEntries(new URLSearchParams(exportQuery(filters, "jsonl")))).toEqual({
      format: "jsonl",
      action: "organization.created",
      to: "2026-11-04T00:00:00.000Z",
    });
    expect(exportQuery(toApiFilters(empty, ACTIONS, TARGETS), "csv")).toBe("format=csv");
  });
});
