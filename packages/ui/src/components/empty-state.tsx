import type * as React from "react";
import { cn } from "../lib/cn";

/** What to do when a list is empty: a title, a sentence and the action that fills it. */
export function EmptyState({
  title,
  description,
  action,
  icon,
  className,
  ...props
}: Omit<React.ComponentProps<"div">, "title"> & {
  title: React.ReactNode;
  description?: React.ReactNode;
  action?: React.ReactNode;
  icon?: React.ReactNode;
}) {
  return (
    <div
      data-slot="empty-state"
      className={cn("grid justify-items-start gap-2 rounded-md border border-dashed border-input bg-card p-6", className)}
      {...props}
    >
      {icon ? <div className="text-muted-foreground [&_svg]:size-6">{icon}</div> : null}
      <p className="font-semibold">{title}</p>
      {description ? <p className="text-muted-foreground">{description}</p> : null}
      {action}
    </div>
  );
}
