/**
 * Reads the demo organization through the gateway with an organization API key.
 *
 *   AIHUB_API_KEY=aih_live_… AIHUB_ORG_ID=… pnpm --filter @aihub/client demo
 *
 * AIHUB_URL defaults to the gateway of `pnpm start`, http://127.0.0.1:4000/trpc.
 */
import { createAiHubClient, isTRPCClientError } from "../src/index.js";

const apiKey = process.env.AIHUB_API_KEY;
const orgId = process.env.AIHUB_ORG_ID;
if (!apiKey || !orgId) {
  console.error("Set AIHUB_API_KEY (an organization API key) and AIHUB_ORG_ID (its organization's id).");
  process.exit(2);
}

const client = createAiHubClient({ url: process.env.AIHUB_URL ?? "http://127.0.0.1:4000/trpc", apiKey });

try {
  const org = await client.organization.get.query({ orgId });
  console.log(`${org.name} (${org.slug})`);
  type Team = Awaited<ReturnType<typeof client.team.list.query>>[number];
  const print = (teams: Team[], depth: number): void => {
    for (const team of teams) {
      console.log(`${"  ".repeat(depth)}${team.name}`);
      print(team.children, depth + 1);
    }
  };
  print(await client.team.list.query({ orgId }), 1);
} catch (error) {
  if (!isTRPCClientError(error)) throw error;
  console.error(`${error.data?.code ?? "ERROR"}: ${error.message}`);
  process.exit(1);
}
