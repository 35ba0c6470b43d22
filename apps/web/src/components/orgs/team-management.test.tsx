import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { TeamTreeNode } from "@/lib/org-access";
import { renderWithIntl } from "@/test/render";
import { TeamManagement, type TeamManagementProps } from "./team-management";

const node = (id: string, name: string, parentTeamId: string | null, children: TeamTreeNode[] = []): TeamTreeNode => ({
  id,
  name,
  description: null,
  parentTeamId,
  memberCount: 1,
  children,
});
const ids = {
  eng: "00000000-0000-4000-8000-000000000001",
  platform: "00000000-0000-4000-8000-000000000002",
  inference: "00000000-0000-4000-8000-000000000003",
  sales: "00000000-0000-4000-8000-000000000004",
};
const tree = [
  node(ids.eng, "Engineering", null, [node(ids.platform, "Platform", ids.eng, [node(ids.inference, "Inference", ids.platform)])]),
  node(ids.sales, "Sales", null),
];

function renderTeams(overrides: Partial<TeamManagementProps> = {}) {
  const props: TeamManagementProps = {
    orgSlug: "acme",
    tree,
    permissions: { create: false, update: false, delete: false },
    ledTeamIds: [],
    onCreate: vi.fn(async () => undefined),
    onMove: vi.fn(async () => undefined),
    onDelete: vi.fn(async () => undefined),
    ...overrides,
  };
  renderWithIntl(<TeamManagement {...props} />);
  return props;
}

const teamNode = (name: string) => screen.getAllByTestId("team-node").find((n) => n.dataset.teamName === name) as HTMLElement;
const ownRow = (name: string) => teamNode(name).firstElementChild as HTMLElement;

describe("TeamManagement (props, tRPC mocked out by the container)", () => {
  it("shows the tree nested: sub-teams inside their parent, indented by depth, linking to the team page", () => {
    renderTeams();
    expect(teamNode("Engineering").dataset.depth).toBe("0");
    expect(teamNode("Platform").dataset.depth).toBe("1");
    expect(teamNode("Inference").dataset.depth).toBe("2");
    expect(teamNode("Engineering").contains(teamNode("Inference"))).toBe(true);
    expect(teamNode("Sales").contains(teamNode("Inference"))).toBe(false);
    expect(ownRow("Inference").style.paddingInlineStart).toBe("48px");
    expect(within(ownRow("Platform")).getByRole("link", { name: "Platform" }).getAttribute("href")).toBe(
      `/orgs/acme/teams/${ids.platform}`,
    );
  });

  it("shows a viewer no create, move or delete controls", () => {
    renderTeams();
    expect(screen.queryByTestId("team-create-form")).toBeNull();
    expect(screen.queryAllByTestId("team-move")).toHaveLength(0);
    expect(screen.queryAllByTestId("team-delete")).toHaveLength(0);
  });

  it("deletes a team with sub-teams only with 'also delete sub-teams' ticked", async () => {
    const user = userEvent.setup();
    const props = renderTeams({ permissions: { create: true, update: true, delete: true } });
    await user.click(within(ownRow("Engineering")).getByTestId("team-delete"));
    const confirm = within(ownRow("Engineering")).getByTestId("team-delete-confirm") as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    await user.click(within(ownRow("Engineering")).getByLabelText(/Also delete its sub-team/));
    expect(confirm.disabled).toBe(false);
    await user.click(confirm);
    expect(props.onDelete).toHaveBeenCalledWith(ids.eng, true);
  });

  it("deletes a leaf team without the sub-teams option", async () => {
    const user = userEvent.setup();
    const props = renderTeams({ permissions: { create: true, update: true, delete: true } });
    await user.click(within(ownRow("Sales")).getByTestId("team-delete"));
    expect(within(ownRow("Sales")).queryByTestId("team-delete-cascade")).toBeNull();
    await user.click(within(ownRow("Sales")).getByTestId("team-delete-confirm"));
    expect(props.onDelete).toHaveBeenCalledWith(ids.sales, false);
  });

  it("moves a team to the top level, never offering itself or its sub-teams as the parent", async () => {
    const user = userEvent.setup();
    const props = renderTeams({ permissions: { create: true, update: true, delete: true } });
    await user.click(within(ownRow("Platform")).getByTestId("team-move"));
    const select = screen.getByLabelText("New parent for Platform") as HTMLSelectElement;
    const offered = [...select.options].map((o) => o.textContent);
    expect(offered).toEqual(["Top level", "Engineering", "Sales"]);
    await user.selectOptions(select, "Top level");
    await user.click(screen.getByTestId("team-move-submit"));
    expect(props.onMove).toHaveBeenCalledWith(ids.platform, null);
  });

  it("creates a team under a chosen parent", async () => {
    const user = userEvent.setup();
    const props = renderTeams({ permissions: { create: true, update: true, delete: true } });
    await user.type(screen.getByLabelText("Team name"), "Research");
    await user.selectOptions(screen.getByLabelText("Parent team"), ids.platform);
    await user.click(screen.getByTestId("team-create-submit"));
    expect(props.onCreate).toHaveBeenCalledWith({ name: "Research", description: null, parentTeamId: ids.platform });
  });

  it("lets a team lead manage only the teams they lead and below", () => {
    renderTeams({ ledTeamIds: [ids.platform] });
    expect(within(ownRow("Platform")).getByTestId("team-move")).toBeTruthy();
    expect(within(ownRow("Inference")).getByTestId("team-move")).toBeTruthy();
    expect(within(ownRow("Engineering")).queryByTestId("team-move")).toBeNull();
    expect(screen.queryAllByTestId("team-delete")).toHaveLength(0);
    const parent = screen.getByLabelText("Parent team") as HTMLSelectElement;
    expect([...parent.options].map((o) => o.textContent)).toEqual(["— Platform", "— — Inference"]);
  });
});
