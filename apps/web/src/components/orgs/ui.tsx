"use client";

import { useTranslations } from "next-intl";
import { type ReactNode, useId, useState } from "react";
import { FormAlert } from "@/components/form/form-alert";

/** "Loading…" placeholder rows while a query is on its way. */
export function LoadingBlock({ testId = "loading", rows = 3 }: { testId?: string; rows?: number }) {
  const t = useTranslations("Common");
  return (
    <div className="skeleton-list" role="status" aria-live="polite" data-testid={testId}>
      <span className="visually-hidden">{t("loading")}</span>
      {Array.from({ length: rows }, (_, index) => (
        <div key={index} className="skeleton" aria-hidden="true" />
      ))}
    </div>
  );
}

/** A failed load, with a retry button. */
export function ErrorBlock({ message, onRetry, testId = "load-error" }: { message: string; onRetry: () => void; testId?: string }) {
  const t = useTranslations("Common");
  return (
    <FormAlert tone="error" testId={testId}>
      <p>{message}</p>
      <p>
        <button type="button" className="button button--secondary button--small" onClick={onRetry} data-testid={`${testId}-retry`}>
          {t("retry")}
        </button>
      </p>
    </FormAlert>
  );
}

/** What to do when a list is empty, with the button that does it. */
export function EmptyState({ title, body, action, testId }: { title: string; body?: string; action?: ReactNode; testId: string }) {
  return (
    <div className="empty" data-testid={testId}>
      <p className="empty__title">{title}</p>
      {body ? <p className="muted">{body}</p> : null}
      {action}
    </div>
  );
}

interface ConfirmButtonProps {
  label: string;
  /** What happens, asked before doing it. */
  question: string;
  confirmLabel: string;
  onConfirm: () => Promise<unknown>;
  testId: string;
  /** The user must type this exact text first (deleting an organization types its slug). */
  typeToConfirm?: string;
  /** Extra controls inside the confirmation (e.g. "also delete sub-teams"); `ready` gates the confirm button. */
  extra?: ReactNode;
  ready?: boolean;
  pending?: boolean;
  tone?: "danger" | "secondary";
  small?: boolean;
}

/**
 * A destructive action behind an inline confirmation (role="alertdialog"): the first click
 * asks, the second does it. Optionally the user types a name to confirm.
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  onConfirm,
  testId,
  typeToConfirm,
  extra,
  ready = true,
  pending = false,
  tone = "danger",
  small = true,
}: ConfirmButtonProps) {
  const t = useTranslations("Common");
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const inputId = useId();
  const questionId = useId();
  const size = small ? " button--small" : "";
  if (!open) {
    return (
      <button type="button" className={`button button--${tone}${size}`} onClick={() => setOpen(true)} data-testid={testId}>
        {label}
      </button>
    );
  }
  const typedOk = typeToConfirm === undefined || typed.trim() === typeToConfirm;
  return (
    <div className="confirm" role="alertdialog" aria-labelledby={questionId} data-testid={`${testId}-dialog`}>
      <p id={questionId}>{question}</p>
      {typeToConfirm !== undefined ? (
        <div className="field">
          <label htmlFor={inputId} className="field__label">
            {t("typeToConfirm", { text: typeToConfirm })}
          </label>
          <input
            id={inputId}
            className="field__input"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            autoComplete="off"
            data-testid={`${testId}-input`}
          />
        </div>
      ) : null}
      {extra}
      <div className="row">
        <button
          type="button"
          className="button button--danger button--small"
          disabled={!typedOk || !ready || pending}
          onClick={async () => {
            // The caller shows a failure itself; the question closes either way.
            await Promise.resolve(onConfirm()).catch(() => undefined);
            setOpen(false);
            setTyped("");
          }}
          data-testid={`${testId}-confirm`}
        >
          {pending ? t("working") : confirmLabel}
        </button>
        <button
          type="button"
          className="button button--secondary button--small"
          onClick={() => {
            setOpen(false);
            setTyped("");
          }}
          data-testid={`${testId}-cancel`}
        >
          {t("cancel")}
        </button>
      </div>
    </div>
  );
}

export function RoleBadge({ role, testId = "role-badge" }: { role: string; testId?: string }) {
  const t = useTranslations("Roles");
  const known = ["owner", "admin", "member", "viewer", "lead"].includes(role);
  return (
    <span className={`badge badge--role badge--${role}`} data-testid={testId}>
      {known ? t(role as "owner") : role}
    </span>
  );
}

interface MemberOption {
  id: string;
  user: { name: string | null; email: string };
}

/** A labelled select of organization members ("Name (email)"), for transfers and team additions. */
export function MemberSelect({
  id,
  label,
  members,
  value,
  onChange,
  placeholder,
  testId,
}: {
  id: string;
  label: string;
  members: MemberOption[];
  value: string;
  onChange: (memberId: string) => void;
  /** The empty option's text: "loading…" or "choose a member". */
  placeholder: string;
  testId: string;
}) {
  return (
    <label htmlFor={id} className="toolbar__filter">
      <span>{label}</span>
      <select id={id} className="control__select" value={value} onChange={(event) => onChange(event.target.value)} data-testid={testId}>
        <option value="">{placeholder}</option>
        {members.map((m) => (
          <option key={m.id} value={m.id}>
            {m.user.name ? `${m.user.name} (${m.user.email})` : m.user.email}
          </option>
        ))}
      </select>
    </label>
  );
}
