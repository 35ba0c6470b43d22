import type { FormEventHandler, ReactNode } from "react";
import { FormAlert } from "./form-alert";

interface AuthFormProps {
  /** Prefix of the test ids: `<name>-form`, `<name>-error`, `<name>-submit`. */
  name: string;
  onSubmit: FormEventHandler<HTMLFormElement>;
  /** Why the last submit failed, shown above the form. */
  failure: ReactNode;
  submitting: boolean;
  submitLabel: string;
  /** The fields. */
  children: ReactNode;
  /** Links under the form. */
  footer?: ReactNode;
}

/** The frame of the sign-in, sign-up and password forms: failure, fields, a full-width submit, links. */
export function AuthForm({ name, onSubmit, failure, submitting, submitLabel, children, footer }: AuthFormProps) {
  return (
    <div className="stack stack--tight">
      {failure ? (
        <FormAlert tone="error" testId={`${name}-error`}>
          {failure}
        </FormAlert>
      ) : null}
      <form className="form" onSubmit={onSubmit} noValidate data-testid={`${name}-form`}>
        {children}
        <button type="submit" className="button button--block" disabled={submitting} data-testid={`${name}-submit`}>
          {submitLabel}
        </button>
      </form>
      {footer}
    </div>
  );
}
