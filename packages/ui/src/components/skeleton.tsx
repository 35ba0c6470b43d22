import type * as React from "react";
import { cn } from "../lib/cn";

/** A grey placeholder of the content's shape; hidden from assistive tech (say "loading" next to it). */
export function Skeleton({ className, ...props }: React.ComponentProps<"div">) {
  return (
    <div
      data-slot="skeleton"
      aria-hidden="true"
      className={cn("h-10 rounded-sm bg-accent motion-safe:animate-pulse", className)}
      {...props}
    />
  );
}
