"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { type DefaultValues, type FieldValues, type Path, useForm } from "react-hook-form";
import type { z } from "zod";
import { useServerErrors } from "./use-server-errors";

/**
 * A form validated in the browser with `schema`, whose submit calls the API: `submit(action)`
 * runs `action` with the valid values, and if it throws, the server's field errors go under
 * their fields and the rest into `failure` (shown above the form).
 */
export function useServerForm<TValues extends FieldValues>(schema: z.ZodType<TValues, TValues>, defaultValues: DefaultValues<TValues>) {
  const form = useForm<TValues>({ resolver: zodResolver(schema), defaultValues });
  const serverErrors = useServerErrors();
  const [failure, setFailure] = useState<string | null>(null);
  const fields = Object.keys(defaultValues) as Path<TValues>[];

  const submit = (action: (values: TValues) => Promise<void>) =>
    form.handleSubmit(async (values) => {
      setFailure(null);
      try {
        await action(values);
      } catch (error) {
        setFailure(serverErrors(error, form.setError, fields));
      }
    });

  return { ...form, failure, submit };
}
