import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { TRPCClientError } from "@trpc/client";
import { describe, expect, it, vi } from "vitest";
import { renderWithIntl } from "@/test/render";
import { CreateOrganizationForm } from "./create-organization-form";

// What the API answers for a taken slug: a CONFLICT whose reason code is under the field.
const takenSlug = TRPCClientError.from({
  error: {
    message: 'The slug "acme" is taken',
    code: -32009,
    data: {
      code: "CONFLICT",
      httpStatus: 409,
      fieldErrors: { slug: ["SLUG_TAKEN"] },
      details: { field: "slug", reason: "SLUG_TAKEN" },
    },
  },
});
const create = vi.fn(async (_input: unknown): Promise<{ slug: string }> => {
  throw takenSlug;
});

vi.mock("@/trpc/react", () => ({
  useTRPC: () => ({ organization: { create: { mutationOptions: () => ({ mutationFn: create }) } } }),
}));
vi.mock("next/navigation", () => ({ useRouter: () => ({ push: vi.fn(), refresh: vi.fn() }) }));

describe("CreateOrganizationForm", () => {
  it("shows a taken slug under the slug field, in the page's language, not only above the form", async () => {
    renderWithIntl(
      <QueryClientProvider client={new QueryClient()}>
        <CreateOrganizationForm />
      </QueryClientProvider>,
    );
    await userEvent.type(screen.getByLabelText("Organization name"), "Acme");
    await userEvent.type(screen.getByLabelText("URL slug (optional)"), "acme");
    await userEvent.click(screen.getByTestId("create-org-submit"));

    expect(await screen.findByTestId("org-slug-error")).toHaveProperty("textContent", "This slug is taken. Choose another.");
    expect(screen.getByLabelText("URL slug (optional)").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByTestId("create-org-error").textContent).toBe("Check the highlighted fields.");
    expect(create).toHaveBeenCalledWith(expect.objectContaining({ name: "Acme", slug: "acme" }), expect.anything());
  });
});
