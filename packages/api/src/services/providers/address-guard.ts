import { DomainError } from "../../errors.js";
import { isBlockedAddress, type Resolver, UnsafeWebhookUrlError, vetWebhookUrl } from "../alerts/url-guard.js";

/**
 * A provider's base URL must reach the public internet: the gateway sends requests there with
 * the organization's credential, so an address inside our network (loopback, private ranges,
 * link-local such as cloud metadata at 169.254.169.254, unique-local IPv6, reserved) would let a
 * tenant make our servers call internal services. The same rule as alert webhooks
 * (services/alerts/url-guard.ts): every address the host resolves to is checked.
 * PROVIDER_ALLOW_PRIVATE=1 lifts it (tests, and on-premises providers on a private network).
 */
export const isPrivateAddress = isBlockedAddress;

export const privateAddressesAllowed = () => process.env.PROVIDER_ALLOW_PRIVATE === "1";

/** Refuses a base URL whose host is (or resolves to) a non-public address, unless allowed. */
export async function assertPublicBaseUrl(baseUrl: string, resolve?: Resolver): Promise<void> {
  if (privateAddressesAllowed()) return;
  try {
    await vetWebhookUrl(baseUrl, { allowPrivate: false, resolve });
  } catch (error) {
    if (!(error instanceof UnsafeWebhookUrlError)) throw error;
    if (/resolve/.test(error.message))
      throw new DomainError("BAD_REQUEST", "The base URL's host cannot be resolved", { field: "baseUrl", reason: "HOST_NOT_FOUND" });
    throw new DomainError("BAD_REQUEST", "The base URL points at a private, loopback or link-local address", {
      field: "baseUrl",
      reason: "PRIVATE_ADDRESS",
    });
  }
}
