import type { ReactNode } from "react";

/** A message about the whole form: an error (announced at once) or a result. */
export function FormAlert({ tone, children, testId }: { tone: "error" | "success" | "info"; children: ReactNode; testId?: string }) {
  return (
    <div className={`alert alert--${tone}`} role={tone === "error" ? "alert" : "status"} data-testid={testId}>
      {children}
    </div>
  );
}
