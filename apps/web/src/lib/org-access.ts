// Browser-safe helpers that decide which controls to show, from `me.permissions` output only.
// Hiding is a courtesy: the server checks every call on its own.
import { ZMemberRole, ZPermission } from "@aihub/api/schemas";

export type MemberRole = (typeof ZMemberRole.options)[number];
export type Permission = (typeof ZPermission.options)[number];
export type TeamRole = "lead" | "member";

export const MEMBER_ROLES: readonly MemberRole[] = ZMemberRole.options;
export const PERMISSION_OPTIONS: readonly Permission[] = ZPermission.options;
const RANK: Record<MemberRole, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

/** The roles someone with `own` may hand out: never above their own. */
export function assignableRoles(own: MemberRole): MemberRole[] {
  return MEMBER_ROLES.filter((role) => RANK[role] <= RANK[own]);
}

export interface TeamTreeNode {
  id: string;
  name: string;
  description: string | null;
  parentTeamId: string | null;
  memberCount: number;
  children: TeamTreeNode[];
}

/** Every team led by the caller or below one they lead (leads of a parent act as leads of its sub-teams). */
export function ledSubtree(tree: readonly TeamTreeNode[], ledTeamIds: readonly string[]): Set<string> {
  const led = new Set(ledTeamIds);
  const out = new Set<string>();
  const walk = (nodes: readonly TeamTreeNode[], inherited: boolean) => {
    for (const node of nodes) {
      const leads = inherited || led.has(node.id);
      if (leads) out.add(node.id);
      walk(node.children, leads);
    }
  };
  walk(tree, false);
  return out;
}

/** The tree flattened depth-first, with each team's depth (0 = top level). */
export function flattenTree(tree: readonly TeamTreeNode[]): { node: TeamTreeNode; depth: number }[] {
  const out: { node: TeamTreeNode; depth: number }[] = [];
  const walk = (nodes: readonly TeamTreeNode[], depth: number) => {
    for (const node of nodes) {
      out.push({ node, depth });
      walk(node.children, depth + 1);
    }
  };
  walk(tree, 0);
  return out;
}

/** A team's id and every id below it: where it cannot be moved to. */
export function subtreeIds(node: TeamTreeNode): Set<string> {
  const out = new Set<string>([node.id]);
  for (const child of node.children) for (const id of subtreeIds(child)) out.add(id);
  return out;
}
