"use client";

import { useState } from "react";
import { useApiError } from "@/components/form/use-api-error";

export type Notice = { tone: "success" | "error"; text: string } | null;

/**
 * One message per panel about the last action: `run` performs a mutation, then says what
 * happened (the server's reason, translated, on failure) and refreshes on success. It rethrows
 * so a form can keep its input after a failure.
 */
export function useActionNotice(refresh: () => Promise<unknown>) {
  const apiError = useApiError();
  const [notice, setNotice] = useState<Notice>(null);

  async function run(action: () => Promise<unknown>, success: string): Promise<void> {
    setNotice(null);
    try {
      await action();
      setNotice({ tone: "success", text: success });
      await refresh();
    } catch (error) {
      setNotice({ tone: "error", text: apiError(error) });
      throw error;
    }
  }

  return { notice, setNotice, run, apiError };
}
