import { orgProcedure } from "../../procedures.js";
import {
  ZAlertChannelOutput,
  ZAlertChannelRefInput,
  ZCreateAlertChannelInput,
  ZDeleteAlertChannelOutput,
  ZListAlertChannelsInput,
  ZListAlertChannelsOutput,
  ZListAlertsInput,
  ZListAlertsOutput,
  ZTestAlertChannelOutput,
  ZUpdateAlertChannelInput,
} from "../../schemas/alert.js";
import * as channels from "../../services/alerts/channels.js";
import { router } from "../../trpc.js";

/**
 * Budget alerts and where they go (docs/budgets.md, "Alerts and deliveries"). The alerts and
 * their deliveries are read like budgets (keys with budget:read too, REST-mirrored). Channels are
 * for people only: listed by everyone who sees budgets, changed and tested by admins and owners
 * (budget:write), audited — a key must not redirect alerts about its own spending, nor read
 * webhook URLs, which some services treat as secrets.
 */
export const alertRouter = router({
  list: orgProcedure
    .meta({
      permission: "budget:read",
      openapi: {
        method: "GET",
        path: "/organizations/{orgId}/budgets/alerts",
        tags: ["Budgets"],
        summary: "Budget alerts, newest first, each with its deliveries",
      },
    })
    .input(ZListAlertsInput)
    .output(ZListAlertsOutput)
    .query(({ ctx, input: { orgId: _, ...filters } }) => channels.listAlerts(ctx.service, filters)),
  listChannels: orgProcedure
    .meta({ permission: "budget:read", apiKeys: false })
    .input(ZListAlertChannelsInput)
    .output(ZListAlertChannelsOutput)
    .query(({ ctx }) => channels.listChannels(ctx.service)),
  createChannel: orgProcedure
    .meta({ permission: "budget:write", apiKeys: false })
    .input(ZCreateAlertChannelInput)
    .output(ZAlertChannelOutput)
    .mutation(({ ctx, input: { orgId: _, ...fields } }) => channels.createChannel(ctx.service, fields)),
  updateChannel: orgProcedure
    .meta({ permission: "budget:write", apiKeys: false })
    .input(ZUpdateAlertChannelInput)
    .output(ZAlertChannelOutput)
    .mutation(({ ctx, input: { orgId: _, ...fields } }) => channels.updateChannel(ctx.service, fields)),
  deleteChannel: orgProcedure
    .meta({ permission: "budget:write", apiKeys: false })
    .input(ZAlertChannelRefInput)
    .output(ZDeleteAlertChannelOutput)
    .mutation(({ ctx, input }) => channels.deleteChannel(ctx.service, { channelId: input.channelId })),
  testChannel: orgProcedure
    .meta({ permission: "budget:write", apiKeys: false })
    .input(ZAlertChannelRefInput)
    .output(ZTestAlertChannelOutput)
    .mutation(({ ctx, input }) => channels.testChannel(ctx.service, { channelId: input.channelId })),
});
