import { z } from "zod";
import { enforcePermission } from "./middleware/enforce-permission.js";
import { idempotency } from "./middleware/idempotency.js";
import { mapDomainErrors } from "./middleware/map-domain-errors.js";
import { rejectNulCharacters } from "./middleware/reject-nul.js";
import { requireUser } from "./middleware/require-identity.js";
import { resolveOrg } from "./middleware/resolve-org.js";
import { ZId } from "./schemas/common.js";
import { baseProcedure } from "./trpc.js";

/**
 * Anyone may call. Guarantees `ctx.db`, `ctx.store`, `ctx.requestId`; `ctx.identity` may be null.
 * Declares `{ access: "public" }` itself.
 */
export const publicProcedure = baseProcedure.meta({ access: "public" }).use(mapDomainErrors).use(rejectNulCharacters).use(idempotency);

/**
 * A signed-in user, about their own account or organizations. Guarantees `ctx.user.userId`
 * and `ctx.service` (UNAUTHORIZED without a session; FORBIDDEN for an API key). Declares `{ access: "authenticated" }`.
 */
export const authedProcedure = baseProcedure
  .meta({ access: "authenticated" })
  .use(mapDomainErrors)
  .use(requireUser)
  .use(rejectNulCharacters)
  .use(idempotency);

/**
 * An organization-scoped call; the procedure must add `.meta({ permission })`. Its input
 * carries `orgId`. Guarantees `ctx.org` ({ orgId, access }), `ctx.service` (the services'
 * context, with the actor and request) and that the declared permission holds: UNAUTHORIZED without identity, NOT_FOUND
 * for a non-member or another org's key, FORBIDDEN without the permission.
 */
export const orgProcedure = baseProcedure
  .use(mapDomainErrors)
  .use(rejectNulCharacters)
  // The shared id schema lower-cases: the org id keys caches and locks, whatever the caller typed.
  .input(z.object({ orgId: ZId }))
  .use(resolveOrg)
  .use(enforcePermission)
  // After the permission check: a replayed answer never outlives the caller's access.
  .use(idempotency);
