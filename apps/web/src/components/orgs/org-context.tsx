"use client";

import { createContext, type ReactNode, useContext, useMemo } from "react";
import type { MemberRole, Permission } from "@/lib/org-access";

export interface OrgContextData {
  userId: string;
  org: { id: string; slug: string; name: string; plan: string; role: MemberRole };
  permissions: string[];
  ledTeamIds: string[];
}

interface OrgContextValue extends OrgContextData {
  can: (permission: Permission) => boolean;
}

const OrgContext = createContext<OrgContextValue | null>(null);

/** The current organization (from the URL) and what the caller may do in it, for the pages below the org layout. */
export function OrgProvider({ value, children }: { value: OrgContextData; children: ReactNode }) {
  const memo = useMemo<OrgContextValue>(() => {
    const granted = new Set(value.permissions);
    return { ...value, can: (permission) => granted.has(permission) };
  }, [value]);
  return <OrgContext.Provider value={memo}>{children}</OrgContext.Provider>;
}

export function useOrg(): OrgContextValue {
  const value = useContext(OrgContext);
  if (!value) throw new Error("useOrg() outside <OrgProvider>");
  return value;
}
