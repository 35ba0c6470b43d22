/**
 * Compile-time checks of the client's types, run by `tsc --noEmit` (the package's typecheck):
 * each `@ts-expect-error` must stay an error, so a client that stopped being typed by the router
 * fails the build. Never executed, and excluded from dist.
 */
import type { AiHubClient } from "./index.js";

export async function typeChecks(client: AiHubClient): Promise<void> {
  const org = await client.organization.get.query({ orgId: "org" });
  const name: string = org.name;
  // @ts-expect-error the output has no such field
  org.noSuchField;

  const teams = await client.team.list.query({ orgId: "org" });
  const teamName: string | undefined = teams[0]?.name;

  // @ts-expect-error wrong input field
  await client.team.list.query({ orgId: "org", teamIdd: "t" });
  // @ts-expect-error orgId is required
  await client.organization.get.query({});
  // @ts-expect-error a query is not a mutation
  await client.organization.get.mutate({ orgId: "org" });
  // @ts-expect-error no such procedure
  await client.organization.nope.query({ orgId: "org" });

  await client.team.create.mutate({ orgId: "org", name: "Ops" }, { context: { idempotencyKey: "order-42" } });
  void [name, teamName];
}
