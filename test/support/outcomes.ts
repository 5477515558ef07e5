// Calling loaders, actions and domain functions directly, and reading what they ended with.
import { DomainError } from "~/domain/errors";

/** The arguments Remix passes a loader or an action. */
export const args = (req: Request, params: Record<string, string> = {}, context: Record<string, unknown> = {}) => ({ request: req, params, context });

/** What a loader or action threw or returned, as status and body (and, for a redirect, where to). */
export async function settle(run: () => Promise<unknown>) {
  let outcome: unknown;
  try {
    outcome = await run();
  } catch (thrown) {
    outcome = thrown;
  }
  if (outcome instanceof Response) {
    return { status: outcome.status, body: null as unknown, response: outcome as Response | null, location: outcome.headers.get("Location") };
  }
  const wrapped = outcome as { type?: string; data?: unknown; init?: { status?: number } | null };
  if (wrapped?.type === "DataWithResponseInit") return { status: wrapped.init?.status ?? 200, body: wrapped.data, response: null, location: null };
  if (outcome instanceof Error) throw outcome;
  return { status: 200, body: outcome, response: null, location: null };
}

/** The rule a domain call broke (its DomainError's `rule`), or "ok" when it went through. */
export async function ruleOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error.rule;
    throw error;
  }
  return "ok";
}
