"use client";

import {
  Button,
  Dialog,
  DialogContent,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  Form,
  FormControl,
  FormField,
  FormItem,
  FormLabel,
  FormMessage,
  Input,
} from "@aihub/ui";
import { zodResolver } from "@hookform/resolvers/zod";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { FormAlert } from "@/components/form/form-alert";
import { useApiError } from "@/components/form/use-api-error";
import { type TEditApiKeyForm, toUpdateApiKeyInput, ZEditApiKeyForm } from "@/lib/api-key-forms";
import type { ApiKeyRow } from "./columns";

const FIELDS = ["name", "rateLimitPerMinute", "monthlyQuota"] as const;

/** Rename a key or change its limits (takes effect on every gateway within a second). */
export function EditApiKeyDialog({
  apiKey,
  orgId,
  onClose,
  onSave,
}: {
  apiKey: ApiKeyRow;
  orgId: string;
  onClose: () => void;
  onSave: (input: ReturnType<typeof toUpdateApiKeyInput>) => Promise<void>;
}) {
  const t = useTranslations("ApiKeys");
  const apiError = useApiError();
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<TEditApiKeyForm>({
    resolver: zodResolver(ZEditApiKeyForm),
    defaultValues: { name: apiKey.name, rateLimitPerMinute: String(apiKey.rateLimitPerMinute), monthlyQuota: String(apiKey.monthlyQuota) },
  });
  const onSubmit = form.handleSubmit(async (values) => {
    setFailure(null);
    try {
      await onSave(toUpdateApiKeyInput(orgId, apiKey.id, values));
    } catch (error) {
      setFailure(apiError(error, form.setError, FIELDS));
    }
  });
  return (
    <Dialog open onOpenChange={(open) => (open ? undefined : onClose())}>
      <DialogContent closeLabel={t("close")} data-testid="api-key-edit-dialog">
        <DialogHeader>
          <DialogTitle>{t("editTitle", { name: apiKey.name })}</DialogTitle>
        </DialogHeader>
        <Form {...form}>
          <form className="grid gap-4" onSubmit={onSubmit} noValidate>
            {failure ? (
              <FormAlert tone="error" testId="api-key-edit-error">
                {failure}
              </FormAlert>
            ) : null}
            <FormField
              control={form.control}
              name="name"
              render={({ field }) => (
                <FormItem>
                  <FormLabel>{t("name")}</FormLabel>
                  <FormControl>
                    <Input autoComplete="off" data-testid="api-key-edit-name" {...field} />
                  </FormControl>
                  <FormMessage message={t("validation.name")} />
                </FormItem>
              )}
            />
            <div className="grid gap-4 sm:grid-cols-2">
              <FormField
                control={form.control}
                name="rateLimitPerMinute"
                render={({ field }) => (
                  <FormItem>
                    <FormLabel>{t("rateLimit")}</FormLabel>
                    <FormControl>
                      <Input inputMode="numeric" data-testid="api-key-edit-rate-limit" {...field} />
                    </FormControl>
                    <FormMessage message={t("validation.rateLimit")} />
                  </FormItem>
                )}
              />
              <FormField
                control={form.control}
                name="monthlyQuota"
                render={({ field }) => (
                  <FormItem>
                    <FormLabel>{t("monthlyQuota")}</FormLabel>
                    <FormControl>
                      <Input inputMode="numeric" data-testid="api-key-edit-quota" {...field} />
                    </FormControl>
                    <FormMessage message={t("validation.monthlyQuota")} />
                  </FormItem>
                )}
              />
            </div>
            <DialogFooter>
              <Button variant="secondary" onClick={onClose}>
                {t("cancel")}
              </Button>
              <Button type="submit" disabled={form.formState.isSubmitting} data-testid="api-key-edit-submit">
                {form.formState.isSubmitting ? t("saving") : t("save")}
              </Button>
            </DialogFooter>
          </form>
        </Form>
      </DialogContent>
    </Dialog>
  );
}
