// Browser-safe helpers that decide which controls to show, from `me.permissions` output only.
// Hiding is a courtesy: the server checks every call on its own, with the same rules.
export {
  assignableRoles,
  MEMBER_ROLES,
  type MemberRole,
  memberActionRefusal,
  PERMISSION_CATALOGUE,
  PERMISSIONS as PERMISSION_OPTIONS,
  type Permission,
  type TeamRole,
} from "@aihub/api/rbac";

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
