"use client";

import { useOptimistic, useTransition } from "react";
import { setCurrentOrg } from "./current-org";

interface OrgSelectProps {
  label: string;
  current: string;
  organizations: { id: string; name: string; role: string }[];
}

export function OrgSelect({ label, current, organizations }: OrgSelectProps) {
  const [pending, startTransition] = useTransition();
  // Shows the choice at once; the server action's re-render then confirms it.
  const [selected, setSelected] = useOptimistic(current);
  return (
    <label className="control">
      <span className="visually-hidden">{label}</span>
      <select
        className="control__select"
        data-testid="org-switcher"
        value={selected}
        aria-busy={pending || undefined}
        onChange={(event) => {
          const orgId = event.target.value;
          startTransition(async () => {
            setSelected(orgId);
            await setCurrentOrg(orgId);
          });
        }}
      >
        {organizations.map((org) => (
          <option key={org.id} value={org.id}>
            {org.name}
          </option>
        ))}
      </select>
    </label>
  );
}
