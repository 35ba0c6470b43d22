import { Button, Form, FormControl, FormDescription, FormField, FormItem, FormLabel, FormMessage, Input } from "@aihub/ui";
import { zodResolver } from "@hookform/resolvers/zod";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useForm } from "react-hook-form";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";

// The kit's form fields: label bound to the input, the error announced and linked to the input
// (aria-invalid, aria-describedby), the description linked too.

const schema = z.object({ name: z.string().min(3, { error: "Too short" }) });

function NameForm({ onSubmit, message }: { onSubmit: (values: { name: string }) => void; message?: string }) {
  const form = useForm({ resolver: zodResolver(schema), defaultValues: { name: "" } });
  return (
    <Form {...form}>
      <form onSubmit={form.handleSubmit(onSubmit)} noValidate>
        <FormField
          control={form.control}
          name="name"
          render={({ field }) => (
            <FormItem>
              <FormLabel>Name</FormLabel>
              <FormControl>
                <Input {...field} />
              </FormControl>
              <FormDescription>What people see</FormDescription>
              <FormMessage {...(message ? { message } : {})} />
            </FormItem>
          )}
        />
        <Button type="submit">Save</Button>
      </form>
    </Form>
  );
}

const describedBy = (element: HTMLElement) =>
  (element.getAttribute("aria-describedby") ?? "")
    .split(" ")
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent);

describe("form fields", () => {
  it("a valid field is described by its description only and not invalid", () => {
    render(<NameForm onSubmit={vi.fn()} />);
    const input = screen.getByLabelText("Name");
    expect(input.getAttribute("aria-invalid")).toBeNull();
    expect(describedBy(input)).toEqual(["What people see"]);
  });

  it("on a failed submit the input is invalid, the error is an alert and the input points at it; fixing it clears both", async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn();
    render(<NameForm onSubmit={onSubmit} />);
    await user.click(screen.getByRole("button", { name: "Save" }));

    const input = screen.getByLabelText("Name");
    expect(onSubmit).not.toHaveBeenCalled();
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByRole("alert").textContent).toBe("Too short");
    expect(describedBy(input)).toEqual(["What people see", "Too short"]);

    await user.type(input, "Ada");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(onSubmit).toHaveBeenCalledWith({ name: "Ada" }, expect.anything());
    expect(input.getAttribute("aria-invalid")).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("a translated message replaces the validator's text", async () => {
    const user = userEvent.setup();
    render(<NameForm onSubmit={vi.fn()} message="至少三个字符" />);
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(screen.getByRole("alert").textContent).toBe("至少三个字符");
  });
});
