"use client";

import { CheckIcon, CopyIcon } from "lucide-react";
import * as React from "react";
import { cn } from "../lib/cn";
import { Button } from "./button";

export interface CopyButtonProps extends Omit<React.ComponentProps<typeof Button>, "onClick" | "children"> {
  value: string;
  /** Accessible name and text before copying, and after ("Copy" / "Copied"). */
  label: string;
  copiedLabel: string;
  onCopied?: () => void;
  onCopyFailed?: (error: unknown) => void;
  /** How long "Copied" stays (ms). */
  resetAfter?: number;
}

/** Copies `value` to the clipboard and says so for a moment (announced to screen readers). */
export function CopyButton({
  value,
  label,
  copiedLabel,
  onCopied,
  onCopyFailed,
  resetAfter = 2000,
  className,
  variant = "secondary",
  size = "sm",
  ...props
}: CopyButtonProps) {
  const [copied, setCopied] = React.useState(false);
  React.useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), resetAfter);
    return () => clearTimeout(timer);
  }, [copied, resetAfter]);
  return (
    <Button
      variant={variant}
      size={size}
      className={cn(className)}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(value);
          setCopied(true);
          onCopied?.();
        } catch (error) {
          onCopyFailed?.(error);
        }
      }}
      {...props}
    >
      {copied ? <CheckIcon aria-hidden="true" /> : <CopyIcon aria-hidden="true" />}
      <span aria-live="polite">{copied ? copiedLabel : label}</span>
    </Button>
  );
}
