"use client";

import type { PublicErrorShape } from "@aihub/api";
import { type ErrorReason, isErrorReason } from "@aihub/api/schemas";
import { TRPCClientError } from "@trpc/client";
import { useTranslations } from "next-intl";
import { useCallback } from "react";
import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import { useServerErrors } from "./use-server-errors";

/** The `details.reason` of an API error: every reason the API gives has a message here. */
export function errorReason(error: unknown): ErrorReason | null {
  if (!(error instanceof TRPCClientError)) return null;
  const reason = (error.data as PublicErrorShape["data"] | undefined)?.details?.reason;
  return isErrorReason(reason) ? reason : null;
}

/**
 * `useServerErrors` plus the organization domain's known refusals (last owner, role above
 * your own, a team under itself…) and missing permissions, in the page's language.
 */
export function useApiError() {
  const t = useTranslations("OrgErrors");
  const reasons = useTranslations("Reasons");
  const serverErrors = useServerErrors();
  return useCallback(
    <T extends FieldValues>(error: unknown, setError?: UseFormSetError<T>, fields: readonly Path<T>[] = []): string => {
      const reason = errorReason(error);
      // A refusal about one field shows under that field; the rest above the form.
      const field = error instanceof TRPCClientError ? (error.data as PublicErrorShape["data"] | undefined)?.details?.field : undefined;
      if (reason && !(setError && typeof field === "string" && (fields as readonly string[]).includes(field))) return reasons(reason);
      if (error instanceof TRPCClientError) {
        const code = (error.data as PublicErrorShape["data"] | undefined)?.code;
        if (code === "FORBIDDEN") return t("FORBIDDEN");
        if (code === "NOT_FOUND") return t("NOT_FOUND");
      }
      return serverErrors(error, setError, fields);
    },
    [t, reasons, serverErrors],
  );
}
