import { DomainError, type GatewayRouting, keyAllows, type ProviderRoute, providerRoutes, routeFor, spend } from "@aihub/api";
import type { Context as HonoContext } from "hono";
import { Hono } from "hono";
import { type AuthDeps, verifyBearer } from "../auth.js";
import type { GatewayEnv } from "../gateway-env.js";
import { openaiError } from "../openai/errors.js";
import { relaySse } from "../openai/sse-relay.js";
import { callUpstream, upstreamMessage } from "../openai/upstream.js";

/**
 * OpenAI-compatible model routes for organization API keys (docs/models.md):
 * `GET /v1/models`, `POST /v1/chat/completions` (streamed or not) and `POST /v1/embeddings`.
 *
 * Per call: the key (rate limit and monthly quota), the model (the key's `allowed_models`, then
 * the first active provider connection serving it or an alias of it), a budget reservation of
 * the most the call can cost (prompt tokens ≤ the request body's UTF-8 bytes, completion tokens
 * ≤ max_tokens × n, or the cap, which is then sent as max_tokens), the provider call with its
 * timeout (a client that goes away cancels it), then settlement from the provider's usage. A
 * stream asks for the provider's usage chunk; a stream that breaks, times out or loses its
 * client is charged for what reached the client (completion bytes as tokens, the prompt at its
 * bound), never more than was reserved and never zero once content was delivered. A call that
 * fails before any content releases its reservation. Prompts and completions are not stored.
 */
const DEFAULT_OUTPUT_CAP = 4096;
const outputCap = () => Number(process.env.GATEWAY_MODEL_MAX_OUTPUT_TOKENS) || DEFAULT_OUTPUT_CAP;
/** A reservation outlives the call's timeout by this much (an abandoned one expires by itself). */
const RESERVATION_MARGIN_SECONDS = 120;

type Ctx = HonoContext<GatewayEnv>;
interface Caller {
  orgId: string;
  apiKeyId: string;
}

/** The key of the request, or the response refusing it (401, 429 with Retry-After, 403). */
async function authenticate(deps: AuthDeps, c: Ctx): Promise<Caller | Response> {
  const verified = await verifyBearer(deps, c.req.header("authorization"), c.get("timing"));
  if (verified?.status === "rate_limited" || verified?.status === "quota_exceeded") {
    c.header("retry-after", String(verified.retryAfterSeconds ?? 1));
    return verified.status === "rate_limited"
      ? openaiError(
          c,
          429,
          "rate_limit_error",
          "rate_limit_exceeded",
          "This API key's rate limit is exhausted. Retry after the time given.",
        )
      : openaiError(c, 429, "insufficient_quota", "quota_exceeded", "This API key's monthly quota is used up. Retry after the time given.");
  }
  const identity = verified?.status === "valid" ? verified.identity : undefined;
  if (identity?.kind !== "api_key")
    return openaiError(c, 401, "authentication_error", "invalid_api_key", "Give a valid organization API key: Authorization: Bearer aih_…");
  if (!identity.scopes.includes("usage:write"))
    return openaiError(c, 403, "permission_error", "insufficient_scope", "This API key needs the usage:write scope to call models.");
  return { orgId: identity.orgId, apiKeyId: identity.apiKeyId };
}

/** The connection for the model, or the refusal (403 not allowed for this key, 404 no connection serves it). */
function pick(c: Ctx, routing: GatewayRouting, model: string): { route: ProviderRoute; upstreamModel: string } | Response {
  if (!keyAllows(routing, model))
    return openaiError(c, 403, "permission_error", "model_not_allowed", `This API key may not call the model ${model}.`);
  const found = routeFor(routing, model);
  if (!found)
    return openaiError(
      c,
      404,
      "not_found_error",
      "model_not_found",
      `The model ${model} does not exist or no provider connection serves it.`,
    );
  return found;
}

/** The request body as JSON and its size in UTF-8 bytes (the prompt's token bound). */
async function readBody(c: Ctx): Promise<{ body: Record<string, unknown>; bytes: number } | Response> {
  const text = await c.req.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return openaiError(c, 400, "invalid_request_error", "invalid_json", "The request body is not valid JSON.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return openaiError(c, 400, "invalid_request_error", "invalid_request", "The request body must be a JSON object.");
  const model = (body as { model?: unknown }).model;
  if (typeof model !== "string" || model.length === 0 || model.length > 200)
    return openaiError(c, 400, "invalid_request_error", "invalid_model", "Give the model by name (`model`).");
  return { body: body as Record<string, unknown>, bytes: Buffer.byteLength(text, "utf8") };
}

const positiveInt = (v: unknown) => (typeof v === "number" && Number.isInteger(v) && v > 0 ? v : null);

interface Held {
  reservationId: string;
  amount: bigint;
  inputBound: bigint;
  outputBound: bigint;
}

/** Holds the call's largest cost on every budget of the key's path; or the refusal (402 naming the scope, 400 unpriced). */
async function hold(deps: AuthDeps, c: Ctx, caller: Caller, model: string, inputBound: bigint, outputBound: bigint, timeoutMs: number) {
  const started = performance.now();
  try {
    const reservation = await spend.reserve(
      { db: deps.db, orgId: caller.orgId },
      {
        subject: { apiKeyId: caller.apiKeyId },
        charge: { model, inputTokens: inputBound, outputTokens: outputBound },
        ttlSeconds: Math.ceil(timeoutMs / 1000) + RESERVATION_MARGIN_SECONDS,
      },
    );
    return { reservationId: reservation.reservationId, amount: reservation.amount, inputBound, outputBound } satisfies Held;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const details = error.details as Record<string, unknown>;
    if (error.code === "PAYMENT_REQUIRED")
      return openaiError(c, 402, "insufficient_quota", "budget_exceeded", error.message, {
        scope: details.scope ?? null,
        scope_id: details.scopeId ?? null,
      });
    if (details.reason === "MODEL_NOT_PRICED")
      return openaiError(
        c,
        400,
        "invalid_request_error",
        "model_not_priced",
        `The model ${model} has no price, so its use cannot be charged.`,
      );
    return openaiError(c, 400, "invalid_request_error", "invalid_request", error.message);
  } finally {
    c.get("timing").add("budget", performance.now() - started);
  }
}

function release(deps: AuthDeps, c: Ctx, caller: Caller, held: Held): Promise<void> {
  return spend.release({ db: deps.db, orgId: caller.orgId }, held.reservationId).then(
    () => undefined,
    (error: unknown) => c.get("log").error({ err: error, reservationId: held.reservationId }, "releasing a reservation failed"),
  );
}

/** Charges the call: the provider's own counts, or (estimated) counts clamped to the hold's bounds. */
function settle(
  deps: AuthDeps,
  c: Ctx,
  caller: Caller,
  held: Held,
  tokens: { input: number; output: number; estimated: boolean },
): Promise<void> {
  const clamp = (n: number, bound: bigint) => (tokens.estimated && BigInt(n) > bound ? bound : BigInt(Math.max(0, Math.ceil(n))));
  return spend
    .settle(
      { db: deps.db, orgId: caller.orgId },
      {
        reservationId: held.reservationId,
        charge: { inputTokens: clamp(tokens.input, held.inputBound), outputTokens: clamp(tokens.output, held.outputBound) },
        metadata: { requestId: c.get("requestId"), estimated: tokens.estimated },
      },
    )
    .then(
      () => undefined,
      (error: unknown) => c.get("log").error({ err: error, reservationId: held.reservationId }, "settling a model call failed"),
    );
}

/** The refusal for a provider that answered with an error (nothing was delivered). */
async function upstreamRefusal(c: Ctx, response: Response): Promise<Response> {
  const message = await upstreamMessage(response);
  if (response.status === 429) {
    c.header("retry-after", response.headers.get("retry-after") ?? "1");
    return openaiError(c, 429, "rate_limit_error", "upstream_rate_limited", message ?? "The provider is rate limiting this organization.");
  }
  // The caller's own mistake as the provider saw it (not the provider's credential: that is ours).
  if (response.status >= 400 && response.status < 500 && response.status !== 401 && response.status !== 403)
    return openaiError(
      c,
      response.status as 400,
      "invalid_request_error",
      "upstream_rejected",
      message ?? "The provider refused the request.",
    );
  return openaiError(c, 502, "api_error", "upstream_error", `The provider failed (HTTP ${response.status}).`);
}

function transportFailure(c: Ctx, why: "client" | "timeout" | null): Response {
  if (why === "timeout") return openaiError(c, 504, "timeout_error", "upstream_timeout", "The provider did not answer in time.");
  return openaiError(c, 502, "api_error", "upstream_unreachable", "The provider could not be reached.");
}

/** Calls `fn` once if the client's connection closes before the response has been written in full. */
function onClientGone(c: Ctx, fn: () => void): void {
  const outgoing = c.env?.outgoing;
  outgoing?.once("close", () => {
    if (!outgoing.writableFinished) fn();
  });
}

function completionText(body: unknown): number {
  const choices = (body as { choices?: { message?: { content?: unknown } }[] })?.choices ?? [];
  return choices.reduce((sum, ch) => sum + (typeof ch?.message?.content === "string" ? Buffer.byteLength(ch.message.content) : 0), 0);
}

type Kind = "chat" | "embeddings";

async function modelCall(deps: AuthDeps, c: Ctx, kind: Kind): Promise<Response> {
  const caller = await authenticate(deps, c);
  if (caller instanceof Response) return caller;
  const read = await readBody(c);
  if (read instanceof Response) return read;
  const { body, bytes } = read;
  const model = body.model as string;
  const routing = await providerRoutes(deps.db, caller.orgId, caller.apiKeyId);
  const picked = pick(c, routing, model);
  if (picked instanceof Response) return picked;
  const { route, upstreamModel } = picked;

  const stream = kind === "chat" && body.stream === true;
  const upstreamBody: Record<string, unknown> = { ...body, model: upstreamModel };
  let outputBound = 0;
  if (kind === "chat") {
    const asked = positiveInt(body.max_completion_tokens) ?? positiveInt(body.max_tokens);
    // With no limit given, the cap is sent as the limit: the reservation must bound what the call can cost.
    if (asked === null) upstreamBody.max_tokens = outputCap();
    outputBound = (asked ?? outputCap()) * (positiveInt(body.n) ?? 1);
    if (stream) upstreamBody.stream_options = { ...(body.stream_options as object | undefined), include_usage: true };
  }
  const held = await hold(deps, c, caller, upstreamModel, BigInt(bytes), BigInt(outputBound), route.timeoutMs);
  if (held instanceof Response) return held;

  const started = performance.now();
  const call = callUpstream(route, kind === "chat" ? "/chat/completions" : "/embeddings", upstreamBody);
  onClientGone(c, () => call.abort("client"));
  let response: Response;
  try {
    response = await call.response;
  } catch {
    await release(deps, c, caller, held);
    return transportFailure(c, call.why());
  } finally {
    c.get("timing").add("upstream", performance.now() - started);
  }
  if (!response.ok) {
    await release(deps, c, caller, held);
    return upstreamRefusal(c, response);
  }

  if (stream && response.body && (response.headers.get("content-type") ?? "").includes("text/event-stream")) {
    const keepUsageChunk = (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
    const relay = relaySse(response.body, {
      keepUsageChunk,
      idleTimeoutMs: route.timeoutMs,
      abortUpstream: () => call.abort("client"),
      onEnd: (outcome) => {
        if (outcome.usage) {
          void settle(deps, c, caller, held, {
            input: outcome.usage.prompt_tokens,
            output: outcome.usage.completion_tokens,
            estimated: false,
          });
        } else if (outcome.deliveredEvents === 0) {
          // Nothing reached the client: nothing to charge.
          void release(deps, c, caller, held);
        } else {
          // What reached the client, counted: each delivered byte as a token (a token is at least one byte).
          void settle(deps, c, caller, held, { input: Number(held.inputBound), output: outcome.deliveredBytes, estimated: true });
        }
      },
    });
    onClientGone(c, relay.cancel);
    return new Response(relay.stream, {
      status: 200,
      headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", "x-accel-buffering": "no" },
    });
  }

  let text: string;
  try {
    text = await response.text();
  } catch {
    await release(deps, c, caller, held);
    return transportFailure(c, call.why());
  }
  let parsed: { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } } | null = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    await release(deps, c, caller, held);
    return openaiError(c, 502, "api_error", "upstream_error", "The provider's answer is not JSON.");
  }
  const usage = parsed?.usage;
  if (usage && typeof usage.prompt_tokens === "number") {
    const output = typeof usage.completion_tokens === "number" ? usage.completion_tokens : 0;
    await settle(deps, c, caller, held, { input: usage.prompt_tokens, output, estimated: false });
  } else {
    await settle(deps, c, caller, held, { input: Number(held.inputBound), output: completionText(parsed), estimated: true });
  }
  return new Response(text, { status: 200, headers: { "content-type": "application/json" } });
}

async function listModels(deps: AuthDeps, c: Ctx): Promise<Response> {
  const caller = await authenticate(deps, c);
  if (caller instanceof Response) return caller;
  const routing = await providerRoutes(deps.db, caller.orgId, caller.apiKeyId);
  const ids = [...new Set(routing.routes.flatMap((r) => r.models))].filter((id) => keyAllows(routing, id)).sort();
  return c.json({ object: "list", data: ids.map((id) => ({ id, object: "model", created: 0, owned_by: "organization" })) });
}

/** An unexpected failure answers in OpenAI's shape too (the log keeps the cause; the client never sees it). */
function guarded(handler: (c: Ctx) => Promise<Response>) {
  return async (c: Ctx) => {
    try {
      return await handler(c);
    } catch (error) {
      c.get("log").error({ err: error }, "model route failed");
      return openaiError(c, 500, "api_error", "internal_error", "Something went wrong on our side.");
    }
  };
}

export function openaiRoutes(deps: AuthDeps) {
  return new Hono<GatewayEnv>()
    .get(
      "/v1/models",
      guarded((c) => listModels(deps, c)),
    )
    .post(
      "/v1/chat/completions",
      guarded((c) => modelCall(deps, c, "chat")),
    )
    .post(
      "/v1/embeddings",
      guarded((c) => modelCall(deps, c, "embeddings")),
    );
}
