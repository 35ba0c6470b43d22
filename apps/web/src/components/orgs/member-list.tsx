"use client";

import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { type FormEvent, type ReactNode, useId, useState } from "react";
import { assignableRoles, MEMBER_ROLES, type MemberRole, memberActionRefusal, PERMISSION_OPTIONS, type Permission } from "@/lib/org-access";
import { ConfirmButton, EmptyState, RoleBadge } from "./ui";

export interface PermissionOverride {
  permission: string;
  effect: "grant" | "deny";
  expiresAt: Date | null;
}

export interface MemberListItem {
  id: string;
  role: MemberRole;
  joinedAt: Date;
  user: { id: string; email: string; name: string | null };
  permissionOverrides: PermissionOverride[];
}

export interface OverrideInput {
  permission: Permission;
  effect: "grant" | "deny";
  expiresAt: Date | null;
}

export interface MemberListProps {
  members: MemberListItem[];
  currentUserId: string;
  viewerRole: MemberRole;
  canUpdateRole: boolean;
  canUpdatePermissions: boolean;
  /** Where a member's effective permissions are shown (null: not for this viewer). */
  permissionsHref?: (member: MemberListItem, self: boolean) => string | null;
  canRemove: boolean;
  search: string;
  roleFilter: MemberRole | "";
  onSearch: (search: string) => void;
  onRoleFilter: (role: MemberRole | "") => void;
  /** Shown instead of the table (loading, error). */
  state?: ReactNode;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  onChangeRole: (member: MemberListItem, role: MemberRole) => void;
  onRemove: (member: MemberListItem) => Promise<unknown>;
  onLeave: () => Promise<unknown>;
  onSetOverride: (member: MemberListItem, override: OverrideInput) => Promise<unknown>;
  onRemoveOverride: (member: MemberListItem, permission: string) => Promise<unknown>;
}

const displayName = (member: MemberListItem) => member.user.name ?? member.user.email;

/**
 * The members table: search and role filter, role select, permission overrides and remove per
 * member — each shown only when the caller may use it (the flags come from `me.permissions`).
 */
export function MemberList(props: MemberListProps) {
  const t = useTranslations("Members");
  const roles = useTranslations("Roles");
  const format = useFormatter();
  const searchId = useId();
  const roleFilterId = useId();
  const [expanded, setExpanded] = useState<string | null>(null);
  const { members, viewerRole, currentUserId } = props;
  const filtered = props.search !== "" || props.roleFilter !== "";

  const onSearch = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = new FormData(event.currentTarget).get("search");
    props.onSearch(typeof value === "string" ? value.trim() : "");
  };

  return (
    <div className="stack stack--tight" data-testid="member-list">
      <div className="toolbar">
        <form className="toolbar__search" onSubmit={onSearch}>
          <label htmlFor={searchId} className="visually-hidden">
            {t("search")}
          </label>
          <input
            id={searchId}
            name="search"
            type="search"
            className="field__input"
            placeholder={t("searchPlaceholder")}
            defaultValue={props.search}
            key={props.search}
            data-testid="member-search"
          />
          <button type="submit" className="button button--secondary button--small">
            {t("searchSubmit")}
          </button>
        </form>
        <label htmlFor={roleFilterId} className="toolbar__filter">
          <span>{t("roleFilter")}</span>
          <select
            id={roleFilterId}
            className="control__select"
            value={props.roleFilter}
            onChange={(event) => props.onRoleFilter(event.target.value as MemberRole | "")}
            data-testid="member-role-filter"
          >
            <option value="">{t("allRoles")}</option>
            {MEMBER_ROLES.map((role) => (
              <option key={role} value={role}>
                {roles(role)}
              </option>
            ))}
          </select>
        </label>
      </div>

      {props.state ??
        (members.length === 0 ? (
          <EmptyState
            testId="members-empty"
            title={filtered ? t("noMatches") : t("empty")}
            action={
              filtered ? (
                <button
                  type="button"
                  className="button button--secondary button--small"
                  onClick={() => {
                    props.onSearch("");
                    props.onRoleFilter("");
                  }}
                >
                  {t("clearFilters")}
                </button>
              ) : undefined
            }
          />
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t("member")}</th>
                  <th scope="col">{t("role")}</th>
                  <th scope="col" className="table__optional">
                    {t("joined")}
                  </th>
                  <th scope="col">
                    <span className="visually-hidden">{t("actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {members.map((member) => {
                  const self = member.user.id === currentUserId;
                  // Only owners touch owners; nobody changes their own role from here.
                  // The server's own rule: only owners touch owners, nobody touches who outranks them.
                  const untouchable = memberActionRefusal(viewerRole, member.role) !== null;
                  const showRoleSelect = props.canUpdateRole && !self && !untouchable;
                  const showRemove = props.canRemove && !self && !untouchable;
                  const showOverrides = props.canUpdatePermissions && !self && !untouchable;
                  const options = assignableRoles(viewerRole);
                  const isExpanded = expanded === member.id;
                  return (
                    <MemberRows
                      key={member.id}
                      member={member}
                      self={self}
                      joined={format.dateTime(member.joinedAt, { dateStyle: "medium" })}
                      roleControl={
                        showRoleSelect ? (
                          <select
                            className="control__select"
                            aria-label={t("roleFor", { name: displayName(member) })}
                            value={member.role}
                            onChange={(event) => props.onChangeRole(member, event.target.value as MemberRole)}
                            data-testid="member-role-select"
                          >
                            {(options.includes(member.role) ? options : [member.role, ...options]).map((role) => (
                              <option key={role} value={role}>
                                {roles(role)}
                              </option>
                            ))}
                          </select>
                        ) : (
                          <RoleBadge role={member.role} testId="member-role" />
                        )
                      }
                      actions={
                        <div className="row row--end">
                          {props.permissionsHref?.(member, self) ? (
                            <Link
                              href={props.permissionsHref(member, self) ?? ""}
                              className="button button--secondary button--small"
                              aria-label={t("effectiveFor", { name: displayName(member) })}
                              data-testid="member-effective-permissions"
                            >
                              {t("effective")}
                            </Link>
                          ) : null}
                          {showOverrides ? (
                            <button
                              type="button"
                              className="button button--secondary button--small"
                              aria-expanded={isExpanded}
                              onClick={() => setExpanded(isExpanded ? null : member.id)}
                              data-testid="member-overrides-toggle"
                            >
                              {t("permissions")}
                            </button>
                          ) : null}
                          {showRemove ? (
                            <ConfirmButton
                              label={t("remove")}
                              question={t("removeQuestion", { name: displayName(member) })}
                              confirmLabel={t("removeConfirm")}
                              onConfirm={() => props.onRemove(member)}
                              testId="member-remove"
                            />
                          ) : null}
                          {self ? (
                            <ConfirmButton
                              label={t("leave")}
                              question={t("leaveQuestion")}
                              confirmLabel={t("leaveConfirm")}
                              onConfirm={props.onLeave}
                              testId="member-leave"
                            />
                          ) : null}
                        </div>
                      }
                      overrides={
                        showOverrides && isExpanded ? (
                          <OverridesEditor
                            member={member}
                            onSet={(override) => props.onSetOverride(member, override)}
                            onRemove={(permission) => props.onRemoveOverride(member, permission)}
                          />
                        ) : null
                      }
                    />
                  );
                })}
              </tbody>
            </table>
          </div>
        ))}

      {props.hasMore && !props.state ? (
        <span>
          <button
            type="button"
            className="button button--secondary"
            onClick={props.onLoadMore}
            disabled={props.loadingMore}
            data-testid="members-load-more"
          >
            {props.loadingMore ? t("loadingMore") : t("loadMore")}
          </button>
        </span>
      ) : null}
    </div>
  );
}

function MemberRows({
  member,
  self,
  joined,
  roleControl,
  actions,
  overrides,
}: {
  member: MemberListItem;
  self: boolean;
  joined: string;
  roleControl: ReactNode;
  actions: ReactNode;
  overrides: ReactNode;
}) {
  const t = useTranslations("Members");
  return (
    <>
      <tr data-testid="member-row" data-email={member.user.email}>
        <td>
          <div className="person">
            <span className="person__name">
              {member.user.name ?? member.user.email}
              {self ? <span className="muted"> {t("you")}</span> : null}
            </span>
            <span className="muted person__email">{member.user.email}</span>
            {member.permissionOverrides.length > 0 ? (
              <span className="chips">
                {member.permissionOverrides.map((o) => (
                  <span key={o.permission} className={`chip chip--${o.effect}`} data-testid="member-override-chip">
                    {o.effect === "grant" ? "+" : "−"}
                    {o.permission}
                  </span>
                ))}
              </span>
            ) : null}
          </div>
        </td>
        <td>{roleControl}</td>
        <td className="table__optional">{joined}</td>
        <td>{actions}</td>
      </tr>
      {overrides ? (
        <tr className="table__detail">
          <td colSpan={4}>{overrides}</td>
        </tr>
      ) : null}
    </>
  );
}

/** Grant or deny one permission to one member, optionally until a date; remove existing overrides. */
function OverridesEditor({
  member,
  onSet,
  onRemove,
}: {
  member: MemberListItem;
  onSet: (override: OverrideInput) => Promise<unknown>;
  onRemove: (permission: string) => Promise<unknown>;
}) {
  const t = useTranslations("Members");
  const format = useFormatter();
  const ids = { permission: useId(), effect: useId(), expires: useId() };
  const [permission, setPermission] = useState<Permission>(PERMISSION_OPTIONS[0] as Permission);
  const [effect, setEffect] = useState<"grant" | "deny">("grant");
  const [expires, setExpires] = useState("");
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await onSet({ permission, effect, expiresAt: expires ? new Date(`${expires}T23:59:59`) : null });
      setExpires("");
    } catch {
      // The container shows the failure.
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="overrides" data-testid="member-overrides">
      <h3 className="overrides__title">{t("overridesTitle", { name: member.user.name ?? member.user.email })}</h3>
      {member.permissionOverrides.length === 0 ? (
        <p className="muted">{t("noOverrides")}</p>
      ) : (
        <ul className="overrides__list">
          {member.permissionOverrides.map((o) => (
            <li key={o.permission} className="row" data-testid="override-row">
              <span className={`chip chip--${o.effect}`}>{o.effect === "grant" ? t("grant") : t("deny")}</span>
              <code>{o.permission}</code>
              <span className="muted">
                {o.expiresAt ? t("until", { date: format.dateTime(o.expiresAt, { dateStyle: "medium" }) }) : t("noExpiry")}
              </span>
              <button
                type="button"
                className="button button--secondary button--small"
                onClick={() => onRemove(o.permission).catch(() => undefined)}
                data-testid="override-remove"
              >
                {t("removeOverride")}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="row row--wrap" onSubmit={submit} data-testid="override-form">
        <label htmlFor={ids.permission} className="toolbar__filter">
          <span>{t("permission")}</span>
          <select
            id={ids.permission}
            className="control__select"
            value={permission}
            onChange={(event) => setPermission(event.target.value as Permission)}
            data-testid="override-permission"
          >
            {PERMISSION_OPTIONS.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={ids.effect} className="toolbar__filter">
          <span>{t("effect")}</span>
          <select
            id={ids.effect}
            className="control__select"
            value={effect}
            onChange={(event) => setEffect(event.target.value as "grant" | "deny")}
            data-testid="override-effect"
          >
            <option value="grant">{t("grant")}</option>
            <option value="deny">{t("deny")}</option>
          </select>
        </label>
        <label htmlFor={ids.expires} className="toolbar__filter">
          <span>{t("expires")}</span>
          <input
            id={ids.expires}
            type="date"
            className="field__input"
            value={expires}
            onChange={(event) => setExpires(event.target.value)}
            data-testid="override-expires"
          />
        </label>
        <button type="submit" className="button button--small" disabled={busy} data-testid="override-submit">
          {t("saveOverride")}
        </button>
      </form>
    </div>
  );
}
