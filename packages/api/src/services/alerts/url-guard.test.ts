import { describe, expect, it } from "vitest";
import { isBlockedAddress, parseWebhookUrl, UnsafeWebhookUrlError, vetWebhookUrl } from "./url-guard.js";

const BLOCKED = [
  "0.0.0.0",
  "10.0.0.1",
  "10.255.255.255",
  "100.64.0.1",
  "100.127.255.254",
  "127.0.0.1",
  "127.1.2.3",
  "169.254.169.254",
  "172.16.0.1",
  "172.31.255.255",
  "192.0.0.8",
  "192.0.2.1",
  "192.168.1.1",
  "198.18.0.1",
  "198.51.100.7",
  "203.0.113.9",
  "224.0.0.1",
  "239.255.255.250",
  "240.0.0.1",
  "255.255.255.255",
  "::",
  "::1",
  "::ffff:127.0.0.1",
  "::ffff:7f00:1",
  "::ffff:10.0.0.1",
  "::ffff:a9fe:a9fe",
  "::127.0.0.1",
  "64:ff9b::a00:1",
  "2002:a00:1::1",
  "2001:db8::1",
  "fc00::1",
  "fd12:3456::1",
  "fe80::1",
  "fe80::1%eth0",
  "febf::1",
  "ff02::1",
  "ff05::2",
  "[::1]",
  "not-an-address",
];
const ALLOWED = [
  "1.1.1.1",
  "8.8.8.8",
  "93.184.216.34",
  "100.63.255.255",
  "100.128.0.1",
  "172.15.255.255",
  "172.32.0.1",
  "192.167.1.1",
  "223.255.255.255",
  "2606:4700:4700::1111",
  "2a00:1450:4001::200e",
  "::ffff:8.8.8.8",
];

describe("webhook address guard", () => {
  it.each(BLOCKED)("refuses %s", (address) => expect(isBlockedAddress(address)).toBe(true));
  it.each(ALLOWED)("allows %s", (address) => expect(isBlockedAddress(address)).toBe(false));

  it.each([
    "ftp://example.com/x",
    "file:///etc/passwd",
    "gopher://example.com",
    "javascript:alert(1)",
    "https://user:pw@example.com/",
    "nonsense",
  ])("refuses the URL %s by its form", (url) => expect(() => parseWebhookUrl(url)).toThrow(UnsafeWebhookUrlError));

  it.each([
    "http://127.0.0.1:8080/hook",
    "http://2130706433/", // 127.0.0.1 written as a number
    "http://0x7f.1/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "https://169.254.169.254/latest/meta-data",
    "http://10.1.2.3/",
  ])("refuses the literal target %s", async (url) => {
    await expect(vetWebhookUrl(url, { allowPrivate: false })).rejects.toThrow(UnsafeWebhookUrlError);
  });

  it("refuses a name that resolves to a private address, even beside a public one (resolver stubbed: no DNS here)", async () => {
    const resolve = async () => [
      { address: "93.184.216.34", family: 4 },
      { address: "10.0.0.5", family: 4 },
    ];
    await expect(vetWebhookUrl("https://hooks.example.com/x", { allowPrivate: false, resolve })).rejects.toThrow(/private/);
  });

  it("accepts a name resolving to public addresses only, and private ones when allowed (resolver stubbed)", async () => {
    const resolve = async () => [{ address: "93.184.216.34", family: 4 }];
    const vetted = await vetWebhookUrl("https://hooks.example.com/x", { allowPrivate: false, resolve });
    expect(vetted.addresses).toEqual([{ address: "93.184.216.34", family: 4 }]);
    await expect(vetWebhookUrl("http://127.0.0.1:9/x", { allowPrivate: true })).resolves.toBeTruthy();
    await expect(vetWebhookUrl("ftp://127.0.0.1/x", { allowPrivate: true })).rejects.toThrow(UnsafeWebhookUrlError);
  });

  it("refuses a name that does not resolve (resolver stubbed)", async () => {
    const resolve = async () => {
      throw new Error("ENOTFOUND");
    };
    await expect(vetWebhookUrl("https://nowhere.invalid/", { allowPrivate: false, resolve })).rejects.toThrow(/resolve/);
  });
});
