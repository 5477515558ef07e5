// The event settings form (/admin/settings) as an admin sends it: the page's values, some changed.
import { cookieFor, request, statusOf } from "./auth";

export type Handler = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<unknown>;
export const settingsRoute = () => import("~/routes/admin.settings") as Promise<{ loader: Handler; action: Handler }>;

/** A response's body, following Remix's `data()` wrapper. */
export const payload = <T,>(result: unknown) => ((result as { data?: unknown }).data ?? result) as T;

/** The settings form as the page fills it, with some fields changed. */
async function form(changes: Record<string, string>) {
  const { loader } = await settingsRoute();
  const { cookie } = await cookieFor("ADMIN");
  const { settings } = payload<{ settings: Record<string, unknown> }>(await loader({ request: request("/admin/settings", { cookie }), params: {}, context: {} }));
  const fields = Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, v === null || v === undefined ? "" : String(v)]));
  return { ...fields, ...changes };
}

export async function save(changes: Record<string, string>, role: "ADMIN" | "ORGANISER" = "ADMIN") {
  const { action } = await settingsRoute();
  const { cookie } = await cookieFor(role);
  const body = await form(changes);
  // Run once: a thrown answer (403) has no result, a returned one is kept for its status and body.
  let returned: unknown = null;
  const status = await statusOf(async () => (returned = await action({ request: request("/admin/settings", { cookie, form: body }), params: {}, context: {} })));
  if (returned instanceof Response) {
    // Saved: back to the page, which says how many fields changed.
    const changed = new URL(returned.headers.get("Location")!, "http://x").searchParams.get("saved");
    return { status, result: { changed: Number(changed), result: {} as { error?: Record<string, string[]> } } };
  }
  return { status, result: returned === null ? null : { changed: null as number | null, ...payload<{ result: { error?: Record<string, string[]> } }>(returned) } };
}
