"use client";

import { Command as CommandPrimitive } from "cmdk";
import { CheckIcon, ChevronsUpDownIcon } from "lucide-react";
import * as React from "react";
import { cn } from "../lib/cn";
import { Popover, PopoverContent, PopoverTrigger } from "./popover";

export interface ComboboxOption {
  value: string;
  label: string;
  /** A second line, searched too (a permission's description, a member's email). */
  description?: string;
  disabled?: boolean;
}

interface BaseProps {
  options: readonly ComboboxOption[];
  placeholder: string;
  searchPlaceholder: string;
  emptyText: string;
  id?: string;
  disabled?: boolean;
  className?: string;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string;
  "aria-label"?: string;
  "data-testid"?: string;
  /** Trigger text for several chosen options ("3 selected"). */
  summary?: (chosen: ComboboxOption[]) => string;
}

export type ComboboxProps =
  | (BaseProps & { multiple?: false; value: string | null; onChange: (value: string | null) => void })
  | (BaseProps & { multiple: true; value: readonly string[]; onChange: (value: string[]) => void });

/** A searchable select (cmdk in a popover): one value, or several with `multiple`. */
export function Combobox(props: ComboboxProps) {
  const { options, placeholder, searchPlaceholder, emptyText, id, disabled, className, summary } = props;
  const [open, setOpen] = React.useState(false);
  const chosen = props.multiple ? props.value : props.value === null ? [] : [props.value];
  const chosenOptions = options.filter((option) => chosen.includes(option.value));
  const label =
    chosenOptions.length === 0
      ? placeholder
      : chosenOptions.length === 1 || !summary
        ? chosenOptions.map((o) => o.label).join(", ")
        : summary(chosenOptions);

  const toggle = (value: string) => {
    if (props.multiple) {
      props.onChange(chosen.includes(value) ? chosen.filter((v) => v !== value) : [...chosen, value]);
    } else {
      props.onChange(props.value === value ? null : value);
      setOpen(false);
    }
  };

  return (
    <Popover open={open} onOpenChange={setOpen}>
      <PopoverTrigger asChild>
        <button
          id={id}
          type="button"
          role="combobox"
          aria-expanded={open}
          aria-invalid={props["aria-invalid"]}
          aria-describedby={props["aria-describedby"]}
          aria-label={props["aria-label"]}
          data-testid={props["data-testid"]}
          disabled={disabled}
          className={cn(
            "flex h-9.5 w-full cursor-pointer items-center justify-between gap-2 rounded-sm border border-input bg-card px-3 text-left text-foreground disabled:cursor-not-allowed disabled:opacity-65 aria-invalid:border-destructive",
            chosenOptions.length === 0 && "text-muted-foreground",
            className,
          )}
        >
          <span className="truncate">{label}</span>
          <ChevronsUpDownIcon className="size-4 shrink-0 opacity-60" aria-hidden="true" />
        </button>
      </PopoverTrigger>
      <PopoverContent className="w-(--radix-popover-trigger-width) min-w-64">
        <CommandPrimitive className="grid" loop>
          <CommandPrimitive.Input
            placeholder={searchPlaceholder}
            aria-label={searchPlaceholder}
            className="h-9 border-b border-border bg-transparent px-3 text-sm outline-none"
          />
          <CommandPrimitive.List className="max-h-64 overflow-y-auto p-1" aria-multiselectable={props.multiple || undefined}>
            <CommandPrimitive.Empty className="px-2 py-3 text-sm text-muted-foreground">{emptyText}</CommandPrimitive.Empty>
            {options.map((option) => {
              const selected = chosen.includes(option.value);
              return (
                <CommandPrimitive.Item
                  key={option.value}
                  value={option.value}
                  keywords={[option.label, option.description ?? ""]}
                  disabled={option.disabled}
                  onSelect={() => toggle(option.value)}
                  aria-selected={selected}
                  data-checked={selected || undefined}
                  className="flex cursor-pointer select-none items-start gap-2 rounded-sm px-2 py-1.5 text-sm outline-none data-[disabled=true]:pointer-events-none data-[selected=true]:bg-accent data-[disabled=true]:opacity-50"
                >
                  <CheckIcon className={cn("mt-0.5 size-4 shrink-0", selected ? "opacity-100" : "opacity-0")} aria-hidden="true" />
                  <span className="grid">
                    <span>{option.label}</span>
                    {option.description ? <span className="text-xs text-muted-foreground">{option.description}</span> : null}
                  </span>
                </CommandPrimitive.Item>
              );
            })}
          </CommandPrimitive.List>
        </CommandPrimitive>
      </PopoverContent>
    </Popover>
  );
}
