"use client";

import { cn } from "@aihub/ui";
import Link from "next/link";
import { usePathname } from "next/navigation";

/**
 * The org's sections as a sidebar (a scrolling row on a phone); the one for the current path is
 * marked (the first only on an exact match). Sections the caller can't use aren't passed in.
 */
export function OrgTabs({ tabs, label }: { tabs: { href: string; label: string; key: string }[]; label: string }) {
  const pathname = usePathname();
  const [first] = tabs;
  return (
    <nav
      className="-mx-1 flex gap-1 overflow-x-auto border-b border-border px-1 pb-2 md:sticky md:top-20 md:mx-0 md:flex-col md:self-start md:overflow-visible md:border-b-0 md:px-0 md:pb-0"
      aria-label={label}
    >
      {tabs.map((tab) => {
        const active = tab === first ? pathname === tab.href : pathname === tab.href || pathname.startsWith(`${tab.href}/`);
        return (
          <Link
            key={tab.key}
            href={tab.href}
            className={cn(
              "rounded-sm px-3 py-2 text-sm font-semibold whitespace-nowrap text-muted-foreground no-underline hover:bg-accent hover:text-foreground",
              active && "bg-accent text-primary hover:text-primary",
            )}
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
