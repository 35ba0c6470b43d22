"use client";

import { useTranslations } from "next-intl";
import type { ComponentProps } from "react";
import type { FieldError } from "react-hook-form";
import { fieldError, PASSWORD_LIMITS } from "@/lib/account-forms";
import { Field } from "./field";

/** The account forms' inputs: a `register()` spread plus the field's react-hook-form error. */
type AccountFieldProps = Omit<ComponentProps<typeof Field>, "label" | "error" | "hint"> & { error: FieldError | undefined };

export function EmailField({ error, ...input }: AccountFieldProps) {
  const fields = useTranslations("Fields");
  const validation = useTranslations("Validation");
  return (
    <Field label={fields("email")} type="email" autoComplete="email" required error={fieldError(error, validation("email"))} {...input} />
  );
}

interface PasswordFieldProps extends AccountFieldProps {
  label: "password" | "currentPassword" | "newPassword";
  /**
   * `new`: a password being chosen, with the policy as hint and as error. `current`: the one the
   * account has, only required (an old password may predate the policy).
   */
  kind: "current" | "new";
}

export function PasswordField({ error, label, kind, ...input }: PasswordFieldProps) {
  const fields = useTranslations("Fields");
  const validation = useTranslations("Validation");
  const choosing = kind === "new";
  return (
    <Field
      label={fields(label)}
      type="password"
      autoComplete={choosing ? "new-password" : "current-password"}
      required
      hint={choosing ? fields("passwordHint", { min: PASSWORD_LIMITS.min }) : undefined}
      error={fieldError(error, choosing ? validation("password", PASSWORD_LIMITS) : validation("required"))}
      {...input}
    />
  );
}
