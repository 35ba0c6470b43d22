"use client";

import { MonitorIcon, MoonIcon, SunIcon } from "lucide-react";
import { useTheme } from "next-themes";
import * as React from "react";
import { Button } from "./button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from "./dropdown-menu";

export interface ThemeToggleLabels {
  toggle: string;
  light: string;
  dark: string;
  system: string;
}

/** Light, dark or the system's setting (the default); the choice is kept in localStorage by next-themes. */
export function ThemeToggle({ labels }: { labels: ThemeToggleLabels }) {
  const { theme, setTheme } = useTheme();
  // The theme is known only in the browser: render a neutral icon until then (no hydration mismatch).
  const [mounted, setMounted] = React.useState(false);
  React.useEffect(() => setMounted(true), []);
  const current = mounted ? theme : undefined;
  const Icon = current === "dark" ? MoonIcon : current === "light" ? SunIcon : MonitorIcon;
  const items = [
    { value: "light", label: labels.light, icon: SunIcon },
    { value: "dark", label: labels.dark, icon: MoonIcon },
    { value: "system", label: labels.system, icon: MonitorIcon },
  ];
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={labels.toggle} data-testid="theme-toggle">
          <Icon aria-hidden="true" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        {items.map((item) => (
          <DropdownMenuItem
            key={item.value}
            onSelect={() => setTheme(item.value)}
            data-testid={`theme-${item.value}`}
            aria-current={current === item.value || undefined}
          >
            <item.icon aria-hidden="true" />
            {item.label}
          </DropdownMenuItem>
        ))}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

export { ThemeProvider } from "next-themes";
