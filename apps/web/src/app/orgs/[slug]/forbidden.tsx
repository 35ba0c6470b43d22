import { NoAccess } from "@/components/orgs/no-access";

/** `forbidden()` in a tab of an organization: HTTP 403, inside the org's layout, naming what is missing. */
export default function OrgForbidden() {
  return <NoAccess />;
}
