"use client";

import { toast } from "@aihub/ui";
import { useCallback, useState } from "react";

export type PanelNotice = { tone: "success" | "error"; text: string } | null;

/**
 * A panel's inline notice (kept where it carries more than a sentence, such as an invitation
 * link) that also ends the action in a toast, as every change in the console does.
 */
export function useNoticeToast(): [PanelNotice, (notice: PanelNotice) => void] {
  const [notice, setNotice] = useState<PanelNotice>(null);
  const set = useCallback((next: PanelNotice) => {
    setNotice(next);
    if (next?.tone === "success") toast.success(next.text);
    else if (next) toast.error(next.text);
  }, []);
  return [notice, set];
}
