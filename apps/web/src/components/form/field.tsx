import type { ComponentProps } from "react";

interface FieldProps extends ComponentProps<"input"> {
  id: string;
  label: string;
  /** Shown under the input and announced with it (aria-describedby); marks it invalid. */
  error?: string | undefined;
  hint?: string | undefined;
}

/** A labelled input with its hint or error. Takes react-hook-form's `register()` spread (ref included). */
export function Field({ id, label, error, hint, ...input }: FieldProps) {
  const described = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <input id={id} className="field__input" aria-invalid={error ? true : undefined} aria-describedby={described} {...input} />
      {error ? (
        <p id={`${id}-error`} className="field__error" data-testid={`${id}-error`}>
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
