import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderWithIntl } from "@/test/render";
import { OrganizationCard } from "./organization-card";

const acme = { id: "7d1f4d4e-8a5b-4c1e-9f0a-1b2c3d4e5f60", name: "Acme Robotics", slug: "acme-robotics", plan: "pro", role: "admin" };

describe("OrganizationCard (props, no tRPC)", () => {
  it("shows the name linking to the org, its slug, the plan and the user's role badge", () => {
    renderWithIntl(
      <ul>
        <OrganizationCard organization={acme} />
      </ul>,
    );
    const card = screen.getByTestId("org-card");
    expect(within(card).getByRole("link", { name: "Acme Robotics" }).getAttribute("href")).toBe("/orgs/acme-robotics");
    expect(within(card).getByTestId("org-card-slug").textContent).toBe("/acme-robotics");
    expect(within(card).getByTestId("org-card-plan").textContent).toBe("pro");
    expect(within(card).getByTestId("role-badge").textContent).toBe("Admin");
  });

  it("shows the role in the page's language", () => {
    renderWithIntl(
      <ul>
        <OrganizationCard organization={{ ...acme, role: "owner" }} />
      </ul>,
      "zh-CN",
    );
    expect(screen.getByTestId("role-badge").textContent).toBe("所有者");
  });
});
