"use client";

import { usePathname, useRouter } from "next/navigation";

interface OrgSelectProps {
  label: string;
  placeholder: string;
  organizations: { id: string; name: string; slug: string }[];
}

/** The org in the URL (`/orgs/<slug>/…`) is the selected one; choosing another navigates to it. */
export function OrgSelect({ label, placeholder, organizations }: OrgSelectProps) {
  const router = useRouter();
  const pathname = usePathname();
  const match = /^\/orgs\/([^/]+)/.exec(pathname);
  const current = organizations.find((org) => org.slug === match?.[1])?.slug ?? "";
  return (
    <label className="control">
      <span className="visually-hidden">{label}</span>
      <select
        className="control__select"
        data-testid="org-switcher"
        value={current}
        onChange={(event) => {
          if (event.target.value) router.push(`/orgs/${event.target.value}`);
        }}
      >
        {current === "" ? <option value="">{placeholder}</option> : null}
        {organizations.map((org) => (
          <option key={org.id} value={org.slug}>
            {org.name}
          </option>
        ))}
      </select>
    </label>
  );
}
