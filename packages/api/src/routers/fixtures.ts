import type { ProcedureFixture } from "../testing/fixtures.js";
import { accountFixtures } from "./account/fixtures.js";
import { alertFixtures } from "./alert/fixtures.js";
import { apiKeyFixtures } from "./api-key/fixtures.js";
import { auditFixtures } from "./audit/fixtures.js";
import { budgetFixtures } from "./budget/fixtures.js";
import { invitationFixtures } from "./invitation/fixtures.js";
import { meFixtures } from "./me/fixtures.js";
import { memberFixtures } from "./member/fixtures.js";
import { notificationFixtures } from "./notification/fixtures.js";
import { organizationFixtures } from "./organization/fixtures.js";
import { permissionFixtures } from "./permission/fixtures.js";
import { personalTokenFixtures } from "./personal-token/fixtures.js";
import { priceFixtures } from "./price/fixtures.js";
import { providerFixtures } from "./provider/fixtures.js";
import { teamFixtures } from "./team/fixtures.js";
import { usageFixtures } from "./usage/fixtures.js";

const prefixed = (prefix: string, fixtures: Record<string, ProcedureFixture>) =>
  Object.fromEntries(Object.entries(fixtures).map(([name, fixture]) => [`${prefix}.${name}`, fixture]));

/** Every procedure's fixture by its path; the authorization matrix fails for a path missing here. */
export const procedureFixtures: Record<string, ProcedureFixture> = {
  health: async () => undefined,
  ...prefixed("account", accountFixtures),
  ...prefixed("me", meFixtures),
  ...prefixed("member", memberFixtures),
  ...prefixed("permission", permissionFixtures),
  ...prefixed("organization", organizationFixtures),
  ...prefixed("invitation", invitationFixtures),
  ...prefixed("notification", notificationFixtures),
  ...prefixed("team", teamFixtures),
  ...prefixed("audit", auditFixtures),
  ...prefixed("apiKey", apiKeyFixtures),
  ...prefixed("personalToken", personalTokenFixtures),
  ...prefixed("budget", budgetFixtures),
  ...prefixed("price", priceFixtures),
  ...prefixed("provider", providerFixtures),
  ...prefixed("usage", usageFixtures),
  ...prefixed("alert", alertFixtures),
};
