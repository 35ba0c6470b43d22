"use client";

import type { PublicErrorShape } from "@aihub/api";
import { isErrorReason } from "@aihub/api/schemas";
import { TRPCClientError } from "@trpc/client";
import { useTranslations } from "next-intl";
import { useCallback } from "react";
import type { FieldValues, Path, UseFormSetError } from "react-hook-form";

/**
 * Turns a failed mutation into what the form shows: `error.data.fieldErrors` go to their
 * fields (react-hook-form `setError`), and the returned text goes above the form. Known
 * failures (rate limit, dead link, wrong current password) are shown in the page's language;
 * other messages come from the server as they are (internal ones are already masked there).
 */
export function useServerErrors() {
  const t = useTranslations("Errors");
  const reasons = useTranslations("Reasons");
  return useCallback(
    <T extends FieldValues>(error: unknown, setError?: UseFormSetError<T>, fields: readonly Path<T>[] = []): string => {
      if (!(error instanceof TRPCClientError)) return t("generic");
      // The API's error formatter returns PublicErrorShape, but tRPC infers its default shape
      // for the router (PublicErrorShape's numeric `code` is wider than tRPC's), hence the cast.
      const data = error.data as PublicErrorShape["data"] | undefined;
      if (!data || data.httpStatus >= 500) return t("generic");
      if (data.code === "TOO_MANY_REQUESTS") return t("tooManyRequests");
      if (data.code === "UNAUTHORIZED") return t("signedOut");
      const reason = data.details?.reason;
      if (reason === "INVALID_TOKEN") return t("invalidLink");
      if (reason === "WRONG_PASSWORD") return t("wrongCurrentPassword");
      if (isErrorReason(reason) && !data.fieldErrors) return reasons(reason);
      // Link tokens are never typed in: any problem with one means the link is no good.
      if (data.fieldErrors?.token) return t("invalidLink");
      if (data.fieldErrors) {
        const unplaced: string[] = [];
        for (const [field, messages] of Object.entries(data.fieldErrors)) {
          // A service's refusal about a field carries a reason code; validation issues are text.
          const message = messages.map((m) => (isErrorReason(m) ? reasons(m) : m)).join(" ");
          if (setError && (fields as readonly string[]).includes(field)) setError(field as Path<T>, { type: "server", message });
          else unplaced.push(message);
        }
        // A validation error's own message is the raw issue list: never show that.
        return unplaced.length > 0 ? unplaced.join(" ") : t("checkFields");
      }
      return error.message;
    },
    [t, reasons],
  );
}
