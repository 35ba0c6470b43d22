"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** The org's sections; the one for the current path is marked (the first tab only on an exact match). */
export function OrgTabs({ tabs, label }: { tabs: { href: string; label: string; key: string }[]; label: string }) {
  const pathname = usePathname();
  const [first] = tabs;
  return (
    <nav className="tabs" aria-label={label}>
      {tabs.map((tab) => {
        const active = tab === first ? pathname === tab.href : pathname === tab.href || pathname.startsWith(`${tab.href}/`);
        return (
          <Link
            key={tab.key}
            href={tab.href}
            className="tabs__item"
            aria-current={active ? "page" : undefined}
            data-testid={`org-tab-${tab.key}`}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}
