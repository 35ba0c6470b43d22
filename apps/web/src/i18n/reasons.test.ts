import { ERROR_REASONS } from "@aihub/api/schemas";
import { describe, expect, it } from "vitest";
import en from "../../messages/en.json";
import zhCN from "../../messages/zh-CN.json";

/** Every reason the API can give has a message in every language of the console. */
describe.each([
  ["en", en.Reasons as Record<string, string>],
  ["zh-CN", zhCN.Reasons as Record<string, string>],
])("%s", (_locale, messages) => {
  it.each([...ERROR_REASONS])("explains %s", (reason) => {
    expect(messages[reason]?.trim()).toBeTruthy();
  });

  it("has no message for a reason the API does not give", () => {
    expect(Object.keys(messages).filter((key) => !(ERROR_REASONS as readonly string[]).includes(key))).toEqual([]);
  });
});
