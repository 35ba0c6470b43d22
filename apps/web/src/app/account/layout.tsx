import type { ReactNode } from "react";
import { requireUser } from "@/server/identity";

/** Everything under /account needs a signed-in user; others go to sign in and come back. */
export default async function AccountLayout({ children }: { children: ReactNode }) {
  await requireUser("/account");
  return children;
}
