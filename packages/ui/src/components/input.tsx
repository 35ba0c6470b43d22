import type * as React from "react";
import { cn } from "../lib/cn";

export const inputClass =
  "h-9.5 w-full min-w-0 rounded-sm border border-input bg-card px-3 text-foreground placeholder:text-muted-foreground disabled:cursor-not-allowed disabled:opacity-65 aria-invalid:border-destructive";

export function Input({ className, type = "text", ...props }: React.ComponentProps<"input">) {
  return <input data-slot="input" type={type} className={cn(inputClass, className)} {...props} />;
}

export function Textarea({ className, ...props }: React.ComponentProps<"textarea">) {
  return <textarea data-slot="textarea" className={cn(inputClass, "h-auto min-h-20 py-2", className)} {...props} />;
}
