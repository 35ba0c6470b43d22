"use client";

import type { PublicErrorShape } from "@aihub/api";
import { TRPCClientError } from "@trpc/client";
import { useTranslations } from "next-intl";
import { useCallback } from "react";
import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import { useServerErrors } from "./use-server-errors";

const REASONS = [
  "LAST_OWNER",
  "OWNER_PROTECTED",
  "ROLE_ABOVE_OWN",
  "EMAIL_MISMATCH",
  "EMAIL_NOT_VERIFIED",
  "INVALID_INVITATION",
  "CYCLE",
  "MAX_DEPTH",
] as const;
type Reason = (typeof REASONS)[number];

/** The `details.reason` of an API error, when it is one the console explains itself. */
export function errorReason(error: unknown): Reason | null {
  if (!(error instanceof TRPCClientError)) return null;
  const reason = (error.data as PublicErrorShape["data"] | undefined)?.details?.reason;
  return typeof reason === "string" && (REASONS as readonly string[]).includes(reason) ? (reason as Reason) : null;
}

/**
 * `useServerErrors` plus the organization domain's known refusals (last owner, role above
 * your own, a team under itself…) and missing permissions, in the page's language.
 */
export function useApiError() {
  const t = useTranslations("OrgErrors");
  const serverErrors = useServerErrors();
  return useCallback(
    <T extends FieldValues>(error: unknown, setError?: UseFormSetError<T>, fields: readonly Path<T>[] = []): string => {
      const reason = errorReason(error);
      if (reason) return t(reason);
      if (error instanceof TRPCClientError) {
        const code = (error.data as PublicErrorShape["data"] | undefined)?.code;
        if (code === "FORBIDDEN") return t("FORBIDDEN");
        if (code === "NOT_FOUND") return t("NOT_FOUND");
      }
      return serverErrors(error, setError, fields);
    },
    [t, serverErrors],
  );
}
