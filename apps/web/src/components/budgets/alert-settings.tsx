"use client";

import { Badge, Button, Input, Label } from "@aihub/ui";
import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState } from "react";

export interface AlertChannelItem {
  id: string;
  kind: "in_app" | "email" | "webhook";
  name: string;
  email: string | null;
  url: string | null;
  enabled: boolean;
}

export interface NewAlertChannel {
  kind: AlertChannelItem["kind"];
  name: string;
  email?: string;
  url?: string;
}

export interface AlertSettingsProps {
  /** The budget's thresholds, percent of its limit. */
  thresholds: number[];
  channels: AlertChannelItem[];
  /** budget:write: edit thresholds, add and test channels; otherwise read-only. */
  canWrite: boolean;
  onSave: (payload: { alertThresholds: number[] }) => Promise<void> | void;
  onTestChannel: (channelId: string) => Promise<{ ok: boolean; message: string }>;
  onCreateChannel?: (channel: NewAlertChannel) => Promise<void> | void;
}

export type ThresholdParse = { ok: true; value: number[] } | { ok: false; error: "empty" | "number" | "range" | "count" };

/** "50, 80 100" → [50, 80, 100]: whole percents 1–1000, at most 10, duplicates merged, ascending (the API's rules). */
export function parseThresholds(text: string): ThresholdParse {
  const parts = text.split(/[\s,，、]+/).filter(Boolean);
  if (parts.length === 0) return { ok: false, error: "empty" };
  if (!parts.every((p) => /^\d+$/.test(p))) return { ok: false, error: "number" };
  const values = [...new Set(parts.map(Number))].sort((a, b) => a - b);
  if (values.some((v) => v < 1 || v > 1000)) return { ok: false, error: "range" };
  if (values.length > 10) return { ok: false, error: "count" };
  return { ok: true, value: values };
}

/** A budget's alert thresholds and the organization's alert channels, with a test send per channel. */
export function AlertSettings({ thresholds, channels, canWrite, onSave, onTestChannel, onCreateChannel }: AlertSettingsProps) {
  const t = useTranslations("Budgets.alerts");
  const id = useId();
  const [text, setText] = useState(thresholds.join(", "));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [results, setResults] = useState<Record<string, { ok: boolean; message: string }>>({});
  const [testing, setTesting] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseThresholds(text);
    if (!parsed.ok) {
      setError(t(`errors.${parsed.error}`));
      return;
    }
    setError(null);
    setSaving(true);
    try {
      await onSave({ alertThresholds: parsed.value });
      setText(parsed.value.join(", "));
    } finally {
      setSaving(false);
    }
  };

  const test = async (channelId: string) => {
    setTesting(channelId);
    try {
      const result = await onTestChannel(channelId);
      setResults((r) => ({ ...r, [channelId]: result }));
    } finally {
      setTesting(null);
    }
  };

  return (
    <div className="grid gap-6" data-testid="alert-settings">
      <form onSubmit={submit} className="grid gap-2" noValidate>
        <Label htmlFor={`${id}-thresholds`}>{t("thresholds")}</Label>
        <div className="flex flex-wrap gap-2">
          <Input
            id={`${id}-thresholds`}
            value={text}
            onChange={(e) => setText(e.target.value)}
            readOnly={!canWrite}
            aria-invalid={error ? true : undefined}
            aria-describedby={`${id}-thresholds-hint${error ? ` ${id}-thresholds-error` : ""}`}
            className="max-w-xs"
          />
          {canWrite ? (
            <Button type="submit" disabled={saving}>
              {t("save")}
            </Button>
          ) : null}
        </div>
        <p id={`${id}-thresholds-hint`} className="text-xs text-muted-foreground">
          {t("thresholdsHint")}
        </p>
        {error ? (
          <p id={`${id}-thresholds-error`} role="alert" className="text-sm text-destructive">
            {error}
          </p>
        ) : null}
      </form>

      <section className="grid gap-2" aria-labelledby={`${id}-channels`}>
        <h3 id={`${id}-channels`} className="text-sm font-semibold">
          {t("channels")}
        </h3>
        {channels.length === 0 ? <p className="text-sm text-muted-foreground">{t("noChannels")}</p> : null}
        <ul className="grid gap-2">
          {channels.map((channel) => (
            <li
              key={channel.id}
              className="flex flex-wrap items-center gap-2 rounded-md border border-border p-2"
              data-testid="alert-channel"
            >
              <Badge variant="info">{t(`kind.${channel.kind}`)}</Badge>
              <span className="font-medium">{channel.name}</span>
              <span className="text-sm text-muted-foreground">{channel.email ?? channel.url ?? ""}</span>
              {channel.enabled ? null : <Badge variant="outline">{t("disabled")}</Badge>}
              {canWrite ? (
                <Button
                  size="sm"
                  variant="secondary"
                  className="ms-auto"
                  disabled={testing === channel.id}
                  onClick={() => test(channel.id)}
                  aria-label={t("sendTestTo", { name: channel.name })}
                >
                  {t("sendTest")}
                </Button>
              ) : null}
              <TestResult result={results[channel.id]} />
            </li>
          ))}
        </ul>
        {canWrite && onCreateChannel ? <NewChannelForm onCreate={onCreateChannel} /> : null}
      </section>
    </div>
  );
}

function NewChannelForm({ onCreate }: { onCreate: (channel: NewAlertChannel) => Promise<void> | void }) {
  const t = useTranslations("Budgets.alerts");
  const id = useId();
  const [kind, setKind] = useState<NewAlertChannel["kind"]>("webhook");
  const [name, setName] = useState("");
  const [target, setTarget] = useState("");
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return setError(t("errors.name"));
    if (kind !== "in_app" && !target.trim()) return setError(t(kind === "email" ? "errors.email" : "errors.url"));
    setError(null);
    const channel: NewAlertChannel = { kind, name: name.trim() };
    if (kind === "email") channel.email = target.trim();
    if (kind === "webhook") channel.url = target.trim();
    await onCreate(channel);
    setName("");
    setTarget("");
  };
  return (
    <form onSubmit={submit} className="grid gap-2 sm:grid-cols-[auto_1fr_2fr_auto] sm:items-end" noValidate>
      <div className="grid gap-1">
        <Label htmlFor={`${id}-kind`}>{t("newKind")}</Label>
        <select
          id={`${id}-kind`}
          value={kind}
          onChange={(e) => setKind(e.target.value as NewAlertChannel["kind"])}
          className="h-9 rounded-md border border-input bg-background px-2 text-sm"
        >
          <option value="in_app">{t("kind.in_app")}</option>
          <option value="email">{t("kind.email")}</option>
          <option value="webhook">{t("kind.webhook")}</option>
        </select>
      </div>
      <div className="grid gap-1">
        <Label htmlFor={`${id}-name`}>{t("newName")}</Label>
        <Input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="grid gap-1">
        <Label htmlFor={`${id}-target`}>{t(kind === "email" ? "newEmail" : "newUrl")}</Label>
        <Input id={`${id}-target`} value={target} disabled={kind === "in_app"} onChange={(e) => setTarget(e.target.value)} />
      </div>
      <Button type="submit" variant="secondary">
        {t("addChannel")}
      </Button>
      {error ? (
        <p role="alert" className="text-sm text-destructive sm:col-span-4">
          {error}
        </p>
      ) : null}
    </form>
  );
}

function TestResult({ result }: { result: { ok: boolean; message: string } | undefined }) {
  const t = useTranslations("Budgets.alerts");
  if (!result) return null;
  return (
    <p role="status" className={result.ok ? "w-full text-sm" : "w-full text-sm text-destructive"}>
      {t(result.ok ? "testOk" : "testFailed", { message: result.message })}
    </p>
  );
}
