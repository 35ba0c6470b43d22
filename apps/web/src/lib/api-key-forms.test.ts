import { ZCreateApiKeyInput } from "@aihub/api/schemas";
import { describe, expect, it } from "vitest";
import { emptyCreateApiKeyForm, toCreateApiKeyInput, todayIso, ZCreateApiKeyForm, ZEditApiKeyForm } from "./api-key-forms";

// The key forms accept what the server accepts: blank limits mean the server's defaults,
// out-of-range limits and past expiry dates are refused before a request is sent.
const ORG = "5b0c6f2e-7a4d-4c1e-9f3a-2d8e6b1c0a47";
const valid = { ...emptyCreateApiKeyForm, name: "CI", scopes: ["org:read" as const] };
const fieldErrors = (values: unknown) => ZCreateApiKeyForm.safeParse(values).error?.issues.map((issue) => issue.path.join(".")) ?? [];

describe("create form", () => {
  it("sends blank limits and expiry as absent, so the server's defaults apply, and the request parses as the API's input", () => {
    const input = toCreateApiKeyInput(ORG, valid);
    expect(input).toMatchObject({ orgId: ORG, name: "CI", scopes: ["org:read"], teamId: null, expiresAt: null });
    expect(input.rateLimitPerMinute).toBeUndefined();
    expect(input.monthlyQuota).toBeUndefined();
    expect(ZCreateApiKeyInput.safeParse(input).success).toBe(true);
  });

  it("turns limits into numbers and the expiry day into the start of that local day", () => {
    const input = toCreateApiKeyInput(ORG, { ...valid, rateLimitPerMinute: "600", monthlyQuota: "5000", expiresOn: "2099-03-01" });
    expect(input.rateLimitPerMinute).toBe(600);
    expect(input.monthlyQuota).toBe(5000);
    expect(input.expiresAt).toEqual(new Date(2099, 2, 1));
  });

  it("refuses what the server refuses: no scope, an empty name, limits out of range or not whole, a past or present expiry", () => {
    expect(fieldErrors(valid)).toEqual([]);
    expect(fieldErrors({ ...valid, scopes: [] })).toEqual(["scopes"]);
    expect(fieldErrors({ ...valid, name: "  " })).toEqual(["name"]);
    expect(fieldErrors({ ...valid, rateLimitPerMinute: "0" })).toEqual(["rateLimitPerMinute"]);
    expect(fieldErrors({ ...valid, rateLimitPerMinute: "1000001" })).toEqual(["rateLimitPerMinute"]);
    expect(fieldErrors({ ...valid, rateLimitPerMinute: "1.5" })).toEqual(["rateLimitPerMinute"]);
    expect(fieldErrors({ ...valid, monthlyQuota: "2000000001" })).toEqual(["monthlyQuota"]);
    expect(fieldErrors({ ...valid, expiresOn: todayIso() })).toEqual(["expiresOn"]);
    expect(fieldErrors({ ...valid, expiresOn: "2001-01-01" })).toEqual(["expiresOn"]);
    expect(fieldErrors({ ...valid, rateLimitPerMinute: "1000000", monthlyQuota: "2000000000" })).toEqual([]);
  });
});

describe("edit form", () => {
  it("needs both limits (a key always has them) within the server's ranges", () => {
    expect(ZEditApiKeyForm.safeParse({ name: "CI", rateLimitPerMinute: "100", monthlyQuota: "1000" }).success).toBe(true);
    expect(ZEditApiKeyForm.safeParse({ name: "CI", rateLimitPerMinute: "", monthlyQuota: "1000" }).success).toBe(false);
    expect(ZEditApiKeyForm.safeParse({ name: "CI", rateLimitPerMinute: "100", monthlyQuota: "0" }).success).toBe(false);
  });
});
