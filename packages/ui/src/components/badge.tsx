import { cva, type VariantProps } from "class-variance-authority";
import type * as React from "react";
import { cn } from "../lib/cn";

export const badgeVariants = cva("inline-flex items-center gap-1 whitespace-nowrap rounded-full px-2 text-xs font-bold tracking-[0.04em]", {
  variants: {
    variant: {
      neutral: "bg-accent text-foreground",
      info: "bg-info-bg text-info",
      success: "bg-success-bg text-success",
      warning: "bg-warning-bg text-warning",
      destructive: "bg-destructive-bg text-destructive",
      outline: "border border-border text-muted-foreground",
    },
  },
  defaultVariants: { variant: "neutral" },
});

export function Badge({ className, variant, ...props }: React.ComponentProps<"span"> & VariantProps<typeof badgeVariants>) {
  return <span data-slot="badge" className={cn(badgeVariants({ variant }), className)} {...props} />;
}
