"use client";

import { toast } from "@aihub/ui";
import { useTranslations } from "next-intl";
import { useApiError } from "@/components/form/use-api-error";

/** What an Undo in a success toast does, and what it says once done. */
export interface Undo {
  run: () => Promise<unknown>;
  done: string;
}

/**
 * Every mutation of a panel ends in a toast: `run` performs it, then says what happened (the
 * server's reason, translated, on failure) and refreshes on success. A reversible change offers
 * Undo in its toast, which runs the reverse mutation (and ends in a toast of its own). It
 * rethrows so a form can keep its input after a failure.
 */
export function useActionNotice(refresh: () => Promise<unknown>) {
  const apiError = useApiError();
  const common = useTranslations("Common");

  async function undoWith(undo: Undo) {
    try {
      await undo.run();
      toast.success(undo.done);
    } catch (error) {
      toast.error(apiError(error));
    }
    await refresh();
  }

  async function run(action: () => Promise<unknown>, success: string, undo?: Undo): Promise<void> {
    try {
      await action();
    } catch (error) {
      toast.error(apiError(error));
      throw error;
    }
    toast.success(success, undo ? { action: { label: common("undo"), onClick: () => void undoWith(undo) }, duration: 10_000 } : undefined);
    await refresh();
  }

  return { run, apiError };
}
