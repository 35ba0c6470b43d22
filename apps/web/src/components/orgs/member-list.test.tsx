import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { MemberRole } from "@/lib/org-access";
import { renderWithIntl } from "@/test/render";
import { MemberList, type MemberListItem, type MemberListProps } from "./member-list";

const member = (n: number, role: MemberRole, email: string, name: string | null = null): MemberListItem => ({
  id: `00000000-0000-4000-8000-00000000000${n}`,
  role,
  joinedAt: new Date(`2026-01-0${n}T10:00:00Z`),
  user: { id: `10000000-0000-4000-8000-00000000000${n}`, email, name },
  permissionOverrides: [],
});

const owner = member(1, "owner", "ada@acme.example", "Ada Lovelace");
const admin = member(2, "admin", "ben@acme.example", "Ben Okafor");
const plain = member(3, "member", "cleo@acme.example", "Cleo Zhang");
const viewer = member(4, "viewer", "dev@acme.example", "Dev Patel");
const members = [owner, admin, plain, viewer];

function renderList(overrides: Partial<MemberListProps> = {}) {
  const props: MemberListProps = {
    members,
    currentUserId: viewer.user.id,
    viewerRole: "viewer",
    canUpdateRole: false,
    canUpdatePermissions: false,
    canRemove: false,
    search: "",
    roleFilter: "",
    onSearch: vi.fn(),
    onRoleFilter: vi.fn(),
    hasMore: false,
    loadingMore: false,
    onLoadMore: vi.fn(),
    onChangeRole: vi.fn(),
    onRemove: vi.fn(async () => undefined),
    onLeave: vi.fn(async () => undefined),
    onSetOverride: vi.fn(async () => undefined),
    onRemoveOverride: vi.fn(async () => undefined),
    ...overrides,
  };
  renderWithIntl(<MemberList {...props} />);
  return props;
}

const row = (email: string) => screen.getAllByTestId("member-row").find((r) => r.dataset.email === email) as HTMLElement;

describe("MemberList (props, tRPC mocked out by the container)", () => {
  it("shows a viewer every member with a role badge and no management controls", () => {
    renderList();
    expect(screen.getAllByTestId("member-row")).toHaveLength(4);
    expect(within(row("ada@acme.example")).getByTestId("member-role").textContent).toBe("Owner");
    expect(screen.queryAllByTestId("member-role-select")).toHaveLength(0);
    expect(screen.queryAllByTestId("member-remove")).toHaveLength(0);
    expect(screen.queryAllByTestId("member-overrides-toggle")).toHaveLength(0);
    // Their own row offers to leave.
    expect(within(row("dev@acme.example")).getByTestId("member-leave")).toBeTruthy();
  });

  it("shows an admin role selects and remove buttons for everyone but owners and themselves, without the owner option", () => {
    renderList({ currentUserId: admin.user.id, viewerRole: "admin", canUpdateRole: true, canUpdatePermissions: true, canRemove: true });
    expect(screen.getAllByTestId("member-role-select")).toHaveLength(2);
    expect(within(row("ada@acme.example")).queryByTestId("member-role-select")).toBeNull();
    expect(within(row("ada@acme.example")).queryByTestId("member-remove")).toBeNull();
    expect(within(row("ben@acme.example")).queryByTestId("member-role-select")).toBeNull();

    const select = within(row("cleo@acme.example")).getByRole("combobox", { name: "Role for Cleo Zhang" }) as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).toEqual(["admin", "member", "viewer"]);
    expect(screen.getAllByTestId("member-remove")).toHaveLength(2);
    expect(screen.getAllByTestId("member-overrides-toggle")).toHaveLength(2);
  });

  it("offers owners the owner role", () => {
    renderList({ currentUserId: owner.user.id, viewerRole: "owner", canUpdateRole: true, canRemove: true });
    const select = within(row("ben@acme.example")).getByTestId("member-role-select") as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).toEqual(["owner", "admin", "member", "viewer"]);
  });

  it("changes a role and removes a member only after confirming", async () => {
    const user = userEvent.setup();
    const props = renderList({ currentUserId: admin.user.id, viewerRole: "admin", canUpdateRole: true, canRemove: true });
    await user.selectOptions(within(row("cleo@acme.example")).getByTestId("member-role-select"), "viewer");
    expect(props.onChangeRole).toHaveBeenCalledWith(plain, "viewer");

    await user.click(within(row("dev@acme.example")).getByTestId("member-remove"));
    expect(props.onRemove).not.toHaveBeenCalled();
    expect(within(row("dev@acme.example")).getByRole("alertdialog").textContent).toContain("Remove Dev Patel from the organization?");
    await user.click(within(row("dev@acme.example")).getByTestId("member-remove-confirm"));
    expect(props.onRemove).toHaveBeenCalledWith(viewer);
  });

  it("edits permission overrides: grant a permission with an expiry", async () => {
    const user = userEvent.setup();
    const props = renderList({ currentUserId: admin.user.id, viewerRole: "admin", canUpdatePermissions: true });
    await user.click(within(row("cleo@acme.example")).getByTestId("member-overrides-toggle"));
    const editor = screen.getByTestId("member-overrides");
    await user.selectOptions(within(editor).getByLabelText("Permission"), "api_key:write");
    await user.selectOptions(within(editor).getByLabelText("Effect"), "deny");
    await user.type(within(editor).getByLabelText("Expires (optional)"), "2030-05-01");
    await user.click(within(editor).getByTestId("override-submit"));
    expect(props.onSetOverride).toHaveBeenCalledWith(plain, {
      permission: "api_key:write",
      effect: "deny",
      expiresAt: new Date("2030-05-01T23:59:59"),
    });
  });

  it("pages with Load more and says when filters match nobody", async () => {
    const user = userEvent.setup();
    const props = renderList({ hasMore: true });
    await user.click(screen.getByTestId("members-load-more"));
    expect(props.onLoadMore).toHaveBeenCalled();
  });

  it("shows the filtered empty state with a way out", async () => {
    const user = userEvent.setup();
    const props = renderList({ members: [], search: "nobody", roleFilter: "admin" });
    expect(screen.getByTestId("members-empty").textContent).toContain("No members match these filters");
    await user.click(screen.getByRole("button", { name: "Clear filters" }));
    expect(props.onSearch).toHaveBeenCalledWith("");
    expect(props.onRoleFilter).toHaveBeenCalledWith("");
  });
});
