"use client";

import { toast } from "@aihub/ui";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { MEMBER_ROLES, type MemberRole, type Permission } from "@/lib/org-access";
import { useTRPC } from "@/trpc/react";
import { MemberList, type MemberListItem } from "./member-list";
import { useOrg } from "./org-context";
import { type PendingRoleChange, RoleChangeDialog } from "./role-change-dialog";
import { ErrorBlock, LoadingBlock } from "./ui";
import { useActionNotice } from "./use-action-notice";

const PAGE_SIZE = 20;

/** The members tab: reads search and role filter from the URL, pages with a cursor, runs the mutations. */
export function MembersPanel() {
  const t = useTranslations("Members");
  const roles = useTranslations("Roles");
  const { org, userId, can } = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();

  const search = searchParams.get("q") ?? "";
  const rawRole = searchParams.get("role") ?? "";
  const roleFilter = (MEMBER_ROLES as readonly string[]).includes(rawRole) ? (rawRole as MemberRole) : "";

  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(searchParams.toString());
    if (value) next.set(key, value);
    else next.delete(key);
    const query = next.toString();
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  };

  const input = { orgId: org.id, search: search || undefined, role: roleFilter || undefined, limit: PAGE_SIZE };
  const list = useInfiniteQuery(trpc.member.list.infiniteQueryOptions(input, { getNextPageParam: (page) => page.nextCursor }));
  const { run, apiError } = useActionNotice(() => queryClient.invalidateQueries(trpc.member.list.pathFilter()));

  const updateRole = useMutation(trpc.member.updateRole.mutationOptions());
  const remove = useMutation(trpc.member.remove.mutationOptions());
  const leave = useMutation(trpc.member.leave.mutationOptions());
  const setOverride = useMutation(trpc.member.setPermissionOverride.mutationOptions());
  const removeOverride = useMutation(trpc.member.removePermissionOverride.mutationOptions());

  const members: MemberListItem[] = list.data?.pages.flatMap((page) => page.items) ?? [];
  const nameOf = (member: MemberListItem) => member.user.name ?? member.user.email;
  // A role change waits for confirmation in a dialog.
  const [roleChange, setRoleChange] = useState<(PendingRoleChange & { memberId: string }) | null>(null);

  async function confirmRoleChange() {
    if (!roleChange) return;
    const { memberId, name, from, to } = roleChange;
    await run(() => updateRole.mutateAsync({ orgId: org.id, memberId, role: to }), t("roleChanged", { name, role: roles(to) }), {
      run: () => updateRole.mutateAsync({ orgId: org.id, memberId, role: from }),
      done: t("roleChangeUndone", { name, role: roles(from) }),
    }).catch(() => undefined);
    setRoleChange(null);
  }

  return (
    <section className="stack stack--tight" aria-labelledby="members-title">
      <h2 className="section-title" id="members-title">
        {t("title")}
      </h2>
      <MemberList
        members={members}
        currentUserId={userId}
        viewerRole={org.role}
        canUpdateRole={can("member:update_role")}
        canUpdatePermissions={can("member:update_permissions")}
        permissionsHref={(member, self) =>
          self
            ? `/orgs/${org.slug}/members/me/permissions`
            : can("member:update_permissions")
              ? `/orgs/${org.slug}/members/${member.user.id}/permissions`
              : null
        }
        canRemove={can("member:remove")}
        search={search}
        roleFilter={roleFilter}
        onSearch={(value) => setParam("q", value)}
        onRoleFilter={(value) => setParam("role", value)}
        state={
          list.isPending ? (
            <LoadingBlock testId="members-loading" />
          ) : list.isError ? (
            <ErrorBlock message={apiError(list.error)} onRetry={() => list.refetch()} testId="members-load-error" />
          ) : undefined
        }
        hasMore={list.hasNextPage}
        loadingMore={list.isFetchingNextPage}
        onLoadMore={() => list.fetchNextPage()}
        onChangeRole={(member, role) => {
          if (role !== member.role) setRoleChange({ memberId: member.id, name: nameOf(member), from: member.role, to: role });
        }}
        onRemove={(member) => run(() => remove.mutateAsync({ orgId: org.id, memberId: member.id }), t("removed", { name: nameOf(member) }))}
        onLeave={async () => {
          try {
            await leave.mutateAsync({ orgId: org.id });
          } catch (error) {
            toast.error(apiError(error));
            return;
          }
          toast.success(t("left", { name: org.name }));
          router.push("/orgs");
          router.refresh();
        }}
        onSetOverride={(member, override) =>
          run(
            () => setOverride.mutateAsync({ orgId: org.id, memberId: member.id, ...override }),
            t("overrideSaved", { name: nameOf(member), permission: override.permission }),
          )
        }
        onRemoveOverride={(member, permission) =>
          run(
            () => removeOverride.mutateAsync({ orgId: org.id, memberId: member.id, permission: permission as Permission }),
            t("overrideRemoved", { name: nameOf(member), permission }),
          )
        }
      />
      <RoleChangeDialog
        change={roleChange}
        orgName={org.name}
        pending={updateRole.isPending}
        onCancel={() => setRoleChange(null)}
        onConfirm={() => void confirmRoleChange()}
      />
    </section>
  );
}
