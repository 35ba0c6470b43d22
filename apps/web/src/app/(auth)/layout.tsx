import type { ReactNode } from "react";

/** Sign-in, sign-up and the emailed-link pages: one narrow card, centred. */
export default function AuthLayout({ children }: { children: ReactNode }) {
  return <div className="auth">{children}</div>;
}
