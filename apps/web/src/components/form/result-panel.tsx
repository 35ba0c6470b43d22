import type { ReactNode } from "react";
import { FormAlert } from "./form-alert";

/** What a form or link page turns into once it's done (or failed for good): the outcome, then where to go next. */
export function ResultPanel({
  tone,
  testId,
  title,
  body,
  next,
}: {
  tone: "success" | "error";
  testId: string;
  title: string;
  body: ReactNode;
  /** The link on from here. */
  next: ReactNode;
}) {
  return (
    <div className="stack stack--tight">
      <FormAlert tone={tone} testId={testId}>
        <strong>{title}</strong>
        <p>{body}</p>
      </FormAlert>
      <p className="auth__links">{next}</p>
    </div>
  );
}
