"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { type ReactNode, useId, useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { Field } from "@/components/form/field";
import { fieldError } from "@/lib/account-forms";
import { flattenTree, ledSubtree, subtreeIds, type TeamTreeNode } from "@/lib/org-access";
import { ZTeamForm } from "@/lib/org-forms";
import { ConfirmButton, EmptyState } from "./ui";

export interface TeamManagementProps {
  orgSlug: string;
  tree: TeamTreeNode[];
  /** Org-wide permissions from `me.permissions`; team leads get create/update on the teams they lead (and below). */
  permissions: { create: boolean; update: boolean; delete: boolean };
  ledTeamIds: string[];
  /** Shown instead of the tree (loading, error). */
  state?: ReactNode;
  onCreate: (team: { name: string; description: string | null; parentTeamId: string | null }) => Promise<unknown>;
  onMove: (teamId: string, newParentTeamId: string | null) => Promise<unknown>;
  onDelete: (teamId: string, cascade: boolean) => Promise<unknown>;
}

const TOP_LEVEL = "";

/** The team tree with create, move and delete, each shown only where the caller may use it. */
export function TeamManagement(props: TeamManagementProps) {
  const t = useTranslations("Teams");
  const { tree, permissions } = props;
  const led = useMemo(() => ledSubtree(tree, props.ledTeamIds), [tree, props.ledTeamIds]);
  const flat = useMemo(() => flattenTree(tree), [tree]);
  const canCreateUnder = (teamId: string) => permissions.create || led.has(teamId);
  const canMove = (teamId: string) => permissions.update || led.has(teamId);
  const parentOptions = flat.filter(({ node }) => canCreateUnder(node.id));
  const showCreate = permissions.create || parentOptions.length > 0;

  return (
    <div className="stack" data-testid="team-management">
      {showCreate ? <CreateTeamForm canCreateTopLevel={permissions.create} parents={parentOptions} onCreate={props.onCreate} /> : null}
      <section className="stack stack--tight" aria-labelledby="team-tree-title">
        <h2 className="section-title" id="team-tree-title">
          {t("treeTitle")}
        </h2>
        {props.state ??
          (tree.length === 0 ? (
            <EmptyState testId="teams-empty" title={t("emptyTitle")} body={showCreate ? t("emptyBody") : t("emptyBodyReadOnly")} />
          ) : (
            <ul className="tree" data-testid="team-tree">
              {tree.map((node) => (
                <TeamNodeItem
                  key={node.id}
                  node={node}
                  depth={0}
                  flat={flat}
                  orgSlug={props.orgSlug}
                  canMove={canMove}
                  canMoveToTop={permissions.update}
                  canDelete={permissions.delete}
                  onMove={props.onMove}
                  onDelete={props.onDelete}
                />
              ))}
            </ul>
          ))}
      </section>
    </div>
  );
}

function TeamNodeItem({
  node,
  depth,
  flat,
  orgSlug,
  canMove,
  canMoveToTop,
  canDelete,
  onMove,
  onDelete,
}: {
  node: TeamTreeNode;
  depth: number;
  flat: { node: TeamTreeNode; depth: number }[];
  orgSlug: string;
  canMove: (teamId: string) => boolean;
  canMoveToTop: boolean;
  canDelete: boolean;
  onMove: TeamManagementProps["onMove"];
  onDelete: TeamManagementProps["onDelete"];
}) {
  const t = useTranslations("Teams");
  const [moving, setMoving] = useState(false);
  const [cascade, setCascade] = useState(false);
  const hasChildren = node.children.length > 0;
  const cascadeId = useId();
  return (
    <li className="tree__item" data-testid="team-node" data-team-name={node.name} data-depth={depth}>
      <div className="tree__row" style={{ paddingInlineStart: `${depth * 24}px` }}>
        <div className="tree__label">
          {depth > 0 ? (
            <span className="tree__branch" aria-hidden="true">
              └
            </span>
          ) : null}
          <Link href={`/orgs/${orgSlug}/teams/${node.id}`} className="tree__name" data-testid="team-link">
            {node.name}
          </Link>
          <span className="muted tree__meta">{t("memberCount", { count: node.memberCount })}</span>
        </div>
        <div className="row row--end">
          {canMove(node.id) ? (
            <button
              type="button"
              className="button button--secondary button--small"
              aria-expanded={moving}
              onClick={() => setMoving(!moving)}
              data-testid="team-move"
            >
              {t("move")}
            </button>
          ) : null}
          {canDelete ? (
            <ConfirmButton
              label={t("delete")}
              question={t("deleteQuestion", { name: node.name })}
              confirmLabel={t("deleteConfirm")}
              testId="team-delete"
              ready={!hasChildren || cascade}
              onConfirm={() => onDelete(node.id, hasChildren && cascade)}
              extra={
                hasChildren ? (
                  <label htmlFor={cascadeId} className="checkbox">
                    <input
                      id={cascadeId}
                      type="checkbox"
                      checked={cascade}
                      onChange={(event) => setCascade(event.target.checked)}
                      data-testid="team-delete-cascade"
                    />
                    {t("deleteCascade", { count: node.children.length })}
                  </label>
                ) : null
              }
            />
          ) : null}
        </div>
      </div>
      {moving ? (
        <MoveForm
          node={node}
          flat={flat}
          canMoveToTop={canMoveToTop}
          canMoveUnder={canMove}
          depth={depth}
          onCancel={() => setMoving(false)}
          onMove={async (parent) => {
            await onMove(node.id, parent);
            setMoving(false);
          }}
        />
      ) : null}
      {hasChildren ? (
        <ul className="tree" aria-label={t("subTeamsOf", { name: node.name })}>
          {node.children.map((child) => (
            <TeamNodeItem
              key={child.id}
              node={child}
              depth={depth + 1}
              flat={flat}
              orgSlug={orgSlug}
              canMove={canMove}
              canMoveToTop={canMoveToTop}
              canDelete={canDelete}
              onMove={onMove}
              onDelete={onDelete}
            />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function MoveForm({
  node,
  flat,
  canMoveToTop,
  canMoveUnder,
  depth,
  onMove,
  onCancel,
}: {
  node: TeamTreeNode;
  flat: { node: TeamTreeNode; depth: number }[];
  canMoveToTop: boolean;
  canMoveUnder: (teamId: string) => boolean;
  depth: number;
  onMove: (parent: string | null) => Promise<unknown>;
  onCancel: () => void;
}) {
  const t = useTranslations("Teams");
  const selectId = useId();
  const excluded = subtreeIds(node);
  // Not under itself or its own sub-teams (the server refuses cycles anyway).
  const targets = flat.filter(({ node: candidate }) => !excluded.has(candidate.id) && canMoveUnder(candidate.id));
  const [parent, setParent] = useState(node.parentTeamId ?? TOP_LEVEL);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="row row--wrap tree__move"
      style={{ paddingInlineStart: `${depth * 24 + 16}px` }}
      data-testid="team-move-form"
      onSubmit={async (event) => {
        event.preventDefault();
        setBusy(true);
        try {
          await onMove(parent === TOP_LEVEL ? null : parent);
        } catch {
          // The container shows why.
        } finally {
          setBusy(false);
        }
      }}
    >
      <label htmlFor={selectId} className="toolbar__filter">
        <span>{t("moveTo", { name: node.name })}</span>
        <select
          id={selectId}
          className="control__select"
          value={parent}
          onChange={(event) => setParent(event.target.value)}
          data-testid="team-move-parent"
        >
          {canMoveToTop || node.parentTeamId === null ? <option value={TOP_LEVEL}>{t("topLevel")}</option> : null}
          {targets.map(({ node: target, depth: targetDepth }) => (
            <option key={target.id} value={target.id}>
              {`${"— ".repeat(targetDepth)}${target.name}`}
            </option>
          ))}
        </select>
      </label>
      <button
        type="submit"
        className="button button--small"
        disabled={busy || parent === (node.parentTeamId ?? TOP_LEVEL)}
        data-testid="team-move-submit"
      >
        {t("moveSubmit")}
      </button>
      <button type="button" className="button button--secondary button--small" onClick={onCancel}>
        {t("cancel")}
      </button>
    </form>
  );
}

function CreateTeamForm({
  canCreateTopLevel,
  parents,
  onCreate,
}: {
  canCreateTopLevel: boolean;
  parents: { node: TeamTreeNode; depth: number }[];
  onCreate: TeamManagementProps["onCreate"];
}) {
  const t = useTranslations("Teams");
  const v = useTranslations("OrgValidation");
  const [parent, setParent] = useState(canCreateTopLevel ? TOP_LEVEL : (parents[0]?.node.id ?? TOP_LEVEL));
  const {
    register,
    handleSubmit,
    reset,
    formState: { errors, isSubmitting },
  } = useForm({ resolver: zodResolver(ZTeamForm), defaultValues: { name: "", description: "" } });
  const onSubmit = handleSubmit(async (values) => {
    try {
      await onCreate({ name: values.name, description: values.description || null, parentTeamId: parent === TOP_LEVEL ? null : parent });
      reset();
    } catch {
      // The container shows why.
    }
  });
  return (
    <section className="card card--wide" aria-labelledby="create-team-title">
      <h2 className="card__title" id="create-team-title">
        {t("createTitle")}
      </h2>
      <form className="form" onSubmit={onSubmit} noValidate data-testid="team-create-form">
        <Field id="team-name" label={t("name")} required error={fieldError(errors.name, v("name"))} {...register("name")} />
        <Field
          id="team-description"
          label={t("description")}
          error={fieldError(errors.description, v("description"))}
          {...register("description")}
        />
        <div className="field">
          <label htmlFor="team-parent" className="field__label">
            {t("parent")}
          </label>
          <select
            id="team-parent"
            className="control__select"
            value={parent}
            onChange={(event) => setParent(event.target.value)}
            data-testid="team-parent"
          >
            {canCreateTopLevel ? <option value={TOP_LEVEL}>{t("topLevel")}</option> : null}
            {parents.map(({ node, depth }) => (
              <option key={node.id} value={node.id}>
                {`${"— ".repeat(depth)}${node.name}`}
              </option>
            ))}
          </select>
        </div>
        <span>
          <button type="submit" className="button" disabled={isSubmitting} data-testid="team-create-submit">
            {isSubmitting ? t("creating") : t("create")}
          </button>
        </span>
      </form>
    </section>
  );
}
