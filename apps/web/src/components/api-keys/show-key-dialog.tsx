"use client";

import { Button, CopyButton, Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, toast } from "@aihub/ui";
import { TriangleAlertIcon } from "lucide-react";
import { useTranslations } from "next-intl";

export interface ShownKey {
  key: string;
  name: string;
  /** After a rotation: until when the replaced key keeps working (null: it stopped at once). */
  previousUntil?: Date | null;
  rotated?: boolean;
}

/**
 * The full key, once: closing the dialog drops it from memory (the parent clears its state), and
 * the server never returns it again. Closing by Escape or a click outside is disabled so the key
 * isn't lost by accident; the button says what happens.
 */
export function ShowKeyDialog({ shown, onClose, format }: { shown: ShownKey | null; onClose: () => void; format: (date: Date) => string }) {
  const t = useTranslations("ApiKeys");
  return (
    <Dialog open={shown !== null} onOpenChange={(open) => (open ? undefined : onClose())}>
      {shown ? (
        <DialogContent
          data-testid="api-key-secret-dialog"
          closeLabel={t("close")}
          onEscapeKeyDown={(event) => event.preventDefault()}
          onPointerDownOutside={(event) => event.preventDefault()}
          onInteractOutside={(event) => event.preventDefault()}
        >
          <DialogHeader>
            <DialogTitle>{shown.rotated ? t("rotatedTitle", { name: shown.name }) : t("createdTitle", { name: shown.name })}</DialogTitle>
            <DialogDescription>{t("secretIntro")}</DialogDescription>
          </DialogHeader>
          <p className="flex items-start gap-2 rounded-md border border-warning/40 bg-warning-bg p-3 text-sm text-warning" role="note">
            <TriangleAlertIcon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
            <span>{t("onceWarning")}</span>
          </p>
          <div className="grid gap-2">
            <span className="text-sm font-semibold">{t("secretLabel")}</span>
            <code
              className="block rounded-sm border border-border bg-background p-3 font-mono text-sm break-all select-all"
              data-testid="api-key-secret"
            >
              {shown.key}
            </code>
            <div>
              <CopyButton
                value={shown.key}
                label={t("copy")}
                copiedLabel={t("copied")}
                onCopyFailed={() => toast.error(t("copyFailed"))}
                data-testid="api-key-copy"
              />
            </div>
          </div>
          {shown.rotated ? (
            <p className="text-sm text-muted-foreground" data-testid="api-key-grace">
              {shown.previousUntil ? t("graceUntil", { until: format(shown.previousUntil) }) : t("graceNone")}
            </p>
          ) : null}
          <DialogFooter>
            <Button onClick={onClose} data-testid="api-key-secret-done">
              {t("savedIt")}
            </Button>
          </DialogFooter>
        </DialogContent>
      ) : null}
    </Dialog>
  );
}
