"use client";

import { Slot } from "radix-ui";
import * as React from "react";
import {
  Controller,
  type ControllerProps,
  type FieldPath,
  type FieldValues,
  FormProvider,
  useFormContext,
  useFormState,
} from "react-hook-form";
import { cn } from "../lib/cn";
import { Label } from "./label";

/** react-hook-form's provider: `<Form {...form}><form onSubmit={form.handleSubmit(…)}>…` */
export const Form = FormProvider;

const FieldNameContext = React.createContext<{ name: string } | null>(null);
interface ItemContextValue {
  id: string;
  described: boolean;
  setDescribed: (described: boolean) => void;
}
const ItemContext = React.createContext<ItemContextValue | null>(null);

/** One controlled field; its item, label, control and message find it through context. */
export function FormField<TValues extends FieldValues, TName extends FieldPath<TValues>>(props: ControllerProps<TValues, TName>) {
  return (
    <FieldNameContext.Provider value={{ name: props.name }}>
      <Controller {...props} />
    </FieldNameContext.Provider>
  );
}

/** The ids and state of the field around the caller: the control points at its description and message. */
export function useFormField() {
  const field = React.useContext(FieldNameContext);
  const item = React.useContext(ItemContext);
  const { getFieldState } = useFormContext();
  const formState = useFormState({ name: field?.name });
  if (!field || !item) throw new Error("useFormField() outside <FormField> and <FormItem>");
  const state = getFieldState(field.name, formState);
  return {
    name: field.name,
    controlId: `${item.id}-control`,
    descriptionId: `${item.id}-description`,
    messageId: `${item.id}-message`,
    described: item.described,
    setDescribed: item.setDescribed,
    ...state,
  };
}

export function FormItem({ className, ...props }: React.ComponentProps<"div">) {
  const id = React.useId();
  const [described, setDescribed] = React.useState(false);
  const value = React.useMemo(() => ({ id, described, setDescribed }), [id, described]);
  return (
    <ItemContext.Provider value={value}>
      <div data-slot="form-item" className={cn("grid gap-1", className)} {...props} />
    </ItemContext.Provider>
  );
}

export function FormLabel({ className, ...props }: React.ComponentProps<typeof Label>) {
  const { controlId } = useFormField();
  return <Label htmlFor={controlId} className={className} {...props} />;
}

/** Wraps the input: gives it the id, aria-invalid and aria-describedby (description + message). */
export function FormControl(props: React.ComponentProps<typeof Slot.Root>) {
  const { controlId, descriptionId, messageId, error, described } = useFormField();
  const describedBy = [described ? descriptionId : null, error ? messageId : null].filter(Boolean).join(" ") || undefined;
  return <Slot.Root id={controlId} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...props} />;
}

export function FormDescription({ className, ...props }: React.ComponentProps<"p">) {
  const { descriptionId, setDescribed } = useFormField();
  // The control names its description only while one is rendered.
  React.useEffect(() => {
    setDescribed(true);
    return () => setDescribed(false);
  }, [setDescribed]);
  return <p id={descriptionId} className={cn("text-[13px] text-muted-foreground", className)} {...props} />;
}

/**
 * The field's error (or `children` when there is none); announced as it appears. `message`
 * replaces the validator's text (a translated sentence per field).
 */
export function FormMessage({ className, children, message, ...props }: React.ComponentProps<"p"> & { message?: string }) {
  const { messageId, error } = useFormField();
  const body = error ? (message ?? String(error.message ?? "")) : children;
  if (!body) return null;
  return (
    <p id={messageId} role={error ? "alert" : undefined} className={cn("text-[13px] text-destructive", className)} {...props}>
      {body}
    </p>
  );
}
