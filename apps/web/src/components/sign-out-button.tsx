"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";

/** Ends this browser's session, then reloads the home page as a signed-out visitor. */
export function SignOutButton({ label, pendingLabel }: { label: string; pendingLabel: string }) {
  const [pending, setPending] = useState(false);
  async function onClick() {
    setPending(true);
    // No next-auth redirect: its URL is built from the configured origin; ours is relative.
    await signOut({ redirect: false }).catch(() => undefined);
    window.location.assign("/");
  }
  return (
    <button type="button" className="button button--secondary button--small" onClick={onClick} disabled={pending} data-testid="sign-out">
      {pending ? pendingLabel : label}
    </button>
  );
}
