"use client";

import {
  Button,
  Combobox,
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  Form,
  FormControl,
  FormDescription,
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
import { emptyCreateApiKeyForm, type TCreateApiKeyForm, toCreateApiKeyInput, todayIso, ZCreateApiKeyForm } from "@/lib/api-key-forms";
import { PERMISSION_CATALOGUE, type Permission } from "@/lib/org-access";

export interface TeamOption {
  id: string;
  name: string;
  depth: number;
}

interface Props {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  orgId: string;
  /** What the creator holds: a key's scopes can't go beyond it (the server checks too). */
  grantable: readonly Permission[];
  teams: readonly TeamOption[];
  onCreate: (input: ReturnType<typeof toCreateApiKeyInput>) => Promise<void>;
}

const FIELDS = ["name", "scopes", "teamId", "rateLimitPerMinute", "monthlyQuota", "expiresOn"] as const;

/** Name, scopes (only those the creator holds), optional team, limits and expiry; validated as the server validates. */
export function CreateApiKeyDialog({ open, onOpenChange, orgId, grantable, teams, onCreate }: Props) {
  const t = useTranslations("ApiKeys");
  const apiError = useApiError();
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<TCreateApiKeyForm>({ resolver: zodResolver(ZCreateApiKeyForm), defaultValues: emptyCreateApiKeyForm });

  const close = (next: boolean) => {
    if (!next) {
      form.reset(emptyCreateApiKeyForm);
      setFailure(null);
    }
    onOpenChange(next);
  };

  const onSubmit = form.handleSubmit(async (values) => {
    setFailure(null);
    try {
      await onCreate(toCreateApiKeyInput(orgId, values));
      form.reset(emptyCreateApiKeyForm);
    } catch (error) {
      setFailure(apiError(error, form.setError, FIELDS));
    }
  });

  const scopeOptions = grantable.map((permission) => ({
    value: permission,
    label: permission,
    description: PERMISSION_CATALOGUE[permission].description,
  }));
  const teamOptions = teams.map((team) => ({ value: team.id, label: `${"— ".repeat(team.depth)}${team.name}` }));

  return (
    <Dialog open={open} onOpenChange={close}>
      <DialogContent closeLabel={t("close")} data-testid="api-key-create-dialog">
        <DialogHeader>
          <DialogTitle>{t("createTitle")}</DialogTitle>
          <DialogDescription>{t("createIntro")}</DialogDescription>
        </DialogHeader>
        <Form {...form}>
          <form className="grid gap-4" onSubmit={onSubmit} noValidate data-testid="api-key-create-form">
            {failure ? (
              <FormAlert tone="error" testId="api-key-create-error">
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
                    <Input autoComplete="off" data-testid="api-key-name" {...field} />
                  </FormControl>
                  <FormMessage message={t("validation.name")} />
                </FormItem>
              )}
            />
            <FormField
              control={form.control}
              name="scopes"
              render={({ field }) => (
                <FormItem>
                  <FormLabel>{t("scopes")}</FormLabel>
                  <FormControl>
                    <Combobox
                      multiple
                      options={scopeOptions}
                      value={field.value}
                      onChange={(value) => field.onChange(value)}
                      placeholder={t("scopesPlaceholder")}
                      searchPlaceholder={t("scopesSearch")}
                      emptyText={t("scopesEmpty")}
                      summary={(chosen) => t("scopesChosen", { count: chosen.length })}
                      data-testid="api-key-scopes"
                    />
                  </FormControl>
                  <FormDescription>{t("scopesHint")}</FormDescription>
                  <FormMessage message={t("validation.scopes")} />
                </FormItem>
              )}
            />
            {teams.length ? (
              <FormField
                control={form.control}
                name="teamId"
                render={({ field }) => (
                  <FormItem>
                    <FormLabel>{t("team")}</FormLabel>
                    <FormControl>
                      <Combobox
                        options={teamOptions}
                        value={field.value || null}
                        onChange={(value) => field.onChange(value ?? "")}
                        placeholder={t("teamNone")}
                        searchPlaceholder={t("teamSearch")}
                        emptyText={t("teamEmpty")}
                        data-testid="api-key-team"
                      />
                    </FormControl>
                    <FormDescription>{t("teamHint")}</FormDescription>
                    <FormMessage />
                  </FormItem>
                )}
              />
            ) : null}
            <div className="grid gap-4 sm:grid-cols-2">
              <FormField
                control={form.control}
                name="rateLimitPerMinute"
                render={({ field }) => (
                  <FormItem>
                    <FormLabel>{t("rateLimit")}</FormLabel>
                    <FormControl>
                      <Input inputMode="numeric" placeholder="100" data-testid="api-key-rate-limit" {...field} />
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
                      <Input inputMode="numeric" placeholder="1000000" data-testid="api-key-quota" {...field} />
                    </FormControl>
                    <FormMessage message={t("validation.monthlyQuota")} />
                  </FormItem>
                )}
              />
            </div>
            <FormField
              control={form.control}
              name="expiresOn"
              render={({ field }) => (
                <FormItem>
                  <FormLabel>{t("expiresOn")}</FormLabel>
                  <FormControl>
                    <Input type="date" min={todayIso()} data-testid="api-key-expiry" {...field} />
                  </FormControl>
                  <FormDescription>{t("expiresHint")}</FormDescription>
                  <FormMessage message={t("validation.expiresOn")} />
                </FormItem>
              )}
            />
            <DialogFooter>
              <Button variant="secondary" onClick={() => close(false)}>
                {t("cancel")}
              </Button>
              <Button type="submit" disabled={form.formState.isSubmitting} data-testid="api-key-create-submit">
                {form.formState.isSubmitting ? t("creating") : t("create")}
              </Button>
            </DialogFooter>
          </form>
        </Form>
      </DialogContent>
    </Dialog>
  );
}
