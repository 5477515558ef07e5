import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import * as z from "~/validation/zod";
import { searchList, type Report } from "~/components/door-device";
import { QrScanner } from "~/components/qr-scanner";
import { useDoorDevice, type OfflineResult } from "~/components/use-door-device";
import { checkIn, doorCounts, searchDoor } from "~/domain/check-in.server";
import { doorListKey } from "~/domain/door-offline.server";
import { formatTimeWithZone } from "~/domain/time";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { laterAdmissions, presentCheckIn } from "~/route-helpers/door.server";
import { keepingFormOnOutage } from "~/route-helpers/outage.server";
import { requireUser } from "~/services/auth.server";
import { clock } from "~/services/clock.server";
import { badgesPdfHref } from "~/validation/badges";
import { deviceIdSchema, type DoorList, type DoorListTicket } from "~/validation/door";

export const meta: MetaFunction = () => [{ title: "Check-in · RE3M admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, "checkin:scan");
  const event = await adminEvent(request, context);
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 100);
  const [counts, results] = await Promise.all([doorCounts(event.id), searchDoor(event.id, q)]);
  return {
    counts,
    q,
    results: results.map((t) => ({
      id: t.id,
      name: t.name,
      company: t.company,
      ticketType: t.ticketType,
      shortCode: t.shortCode,
      status: t.status,
      checkedInAt: t.checkedInAt ? formatTimeWithZone(t.checkedInAt, event.timeZone) : null,
      alsoAdmitted: laterAdmissions(t, event.timeZone),
    })),
    // What the page's script needs to keep working offline (ADR 0016).
    door: { userId: user.id, eventId: event.id, listKey: doorListKey(user.sessionId) },
  };
}

const checkInForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("scan"), code: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)), deviceId: z.optional(deviceIdSchema) }),
  z.object({ intent: z.literal("admit"), ticketId: z.string().check(z.minLength(1), z.maxLength(40)), deviceId: z.optional(deviceIdSchema) }),
]);

// The scan form is a fetcher: thrown, an outage would replace the door's page with an error.
// Called inside the action: a route-helper (.server) module is left out of the browser bundle, so
// a call at the top of the file would fail there when the route loads.
export const action = (args: ActionFunctionArgs) => keepingFormOnOutage(checkInAtDoor, (message) => ({ outcome: "unavailable" as const, message }))(args);

async function checkInAtDoor({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, "checkin:scan");
  const parsed = checkInForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ outcome: "invalid" as const, message: "Scan a QR code or type the 8-character code under it." }, { status: 400 });
  const event = await adminEvent(request, context);
  const by = parsed.data.intent === "scan" ? { code: parsed.data.code } : { ticketId: parsed.data.ticketId };
  return presentCheckIn(await checkIn(event.id, by, user.id, clock.now(), parsed.data.deviceId), event.timeZone);
}

type Presented = ReturnType<typeof presentCheckIn> | OfflineResult | { outcome: "invalid" | "unavailable"; message: string };

const tone = { "checked-in": "ok", already: "warn", refused: "danger", unknown: "danger", invalid: "danger", unavailable: "warn", "no-list": "danger" } as const;
const verdict = {
  "checked-in": "Checked in",
  already: "Already checked in",
  refused: "Refused",
  unknown: "Not found",
  invalid: "Not found",
  unavailable: "Not checked: try again",
  "no-list": "Not checked",
} as const;

export default function CheckIn() {
  const { counts, q, results, door } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const scan = useFetcher<typeof action>({ key: "check-in" });
  const revalidator = useRevalidator();
  const device = useDoorDevice(door);
  const [offlineResult, setOfflineResult] = useState<OfflineResult | null>(null);
  const [localQuery, setLocalQuery] = useState<string | null>(null);
  // The newest answer is shown, the server's or the device's own; once a check-in made offline is
  // sent, what the server said of it (a second entry, a ticket refunded meanwhile) takes its place.
  useEffect(() => setOfflineResult(null), [scan.data]);
  const sentReport = offlineResult?.clientId ? device.reports.find((r) => r.clientId === offlineResult.clientId) : undefined;
  const result: Presented | undefined = offlineResult ?? scan.data ?? actionData;
  const offline = device.connection === "offline";

  // Check-ins this device just sent change the counts.
  const newestReport = device.reports[0]?.clientId;
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  useEffect(() => {
    if (newestReport && navigator.onLine) revalidate.current();
  }, [newestReport]);

  useServiceWorker();

  // Other doors check people in too: refresh the counts every 20 s while the page is open and online.
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible" && navigator.onLine && revalidator.state === "idle") revalidator.revalidate();
    }, 20_000);
    return () => clearInterval(timer);
  }, [revalidator]);

  /** Offline (or with no answer from the server) the device decides from its list; online, the server does. */
  const admit = (by: { code: string } | { ticketId: string }) => {
    if (offline || !navigator.onLine) {
      void device.admitOffline(by).then(setOfflineResult);
      return;
    }
    setOfflineResult(null);
    const fields: Record<string, string> = "code" in by ? { intent: "scan", code: by.code } : { intent: "admit", ticketId: by.ticketId };
    if (device.device) fields.deviceId = device.device;
    scan.submit(fields, { method: "post" });
  };

  const localCounts = device.list && offline ? countsOf(device.list.tickets, device.checkedInAt) : null;
  const shownCounts = localCounts ?? counts;
  const localResults = offline && device.list && localQuery !== null ? searchList(device.list, localQuery) : null;

  return (
    <div className="stack check-in">
      <header>
        <h1>Check-in</h1>
        <p className="stat-line" aria-live="polite">
          <strong>{shownCounts.checkedIn}</strong> of <strong>{shownCounts.valid}</strong> valid tickets checked in
          {localCounts ? <span className="small muted"> (as this device knows)</span> : null}
        </p>
      </header>

      <DoorStatus device={device} />

      {result ? (
        <section className={`door-result door-result--${sentReport?.tone ?? tone[result.outcome]}`} role="alert" aria-labelledby="door-result-title">
          <h2 id="door-result-title" className="door-result__verdict">
            {sentReport?.title ?? verdict[result.outcome]}
          </h2>
          {"ticket" in result && result.ticket ? (
            <dl className="door-result__ticket">
              <dt className="visually-hidden">Name</dt>
              <dd className="door-result__name">{result.ticket.name}</dd>
              <dt className="visually-hidden">Company</dt>
              <dd>{result.ticket.company || "No company given"}</dd>
              <dt className="visually-hidden">Ticket</dt>
              <dd>
                {result.ticket.ticketType} · <span className="mono">{result.ticket.shortCode}</span> · {result.ticket.status.toLowerCase()}
              </dd>
            </dl>
          ) : null}
          <p className="door-result__message">{sentReport?.message ?? result.message}</p>
          {"ticket" in result && result.ticket?.alsoAdmitted.length ? (
            <ul className="door-result__also">
              {result.ticket.alsoAdmitted.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          ) : null}
          {"ticket" in result && result.ticket?.status === "VALID" && !("offline" in result) ? <BadgeLink ticket={result.ticket} /> : null}
        </section>
      ) : null}

      <QrScanner
        title="Scan a ticket"
        onCode={(code) => admit({ code })}
        manual={{ name: "code", label: "Or type the code under the QR", hint: "8 characters, for example K7Q2MX9P", submitLabel: "Check in by code", hidden: { intent: "scan" } }}
      />

      <SentReports reports={device.reports} />

      <section className="card" aria-labelledby="search-title">
        <h2 id="search-title">Find by name</h2>
        <Form
          method="get"
          className="toolbar"
          role="search"
          onSubmit={(event) => {
            if (!offline) return setLocalQuery(null);
            // Offline the page cannot be loaded again: the device searches its own list.
            event.preventDefault();
            setLocalQuery(String(new FormData(event.currentTarget).get("q") ?? ""));
          }}
        >
          <div className="field check-in__search">
            <label htmlFor="q">Name, email, company or badge code</label>
            <input id="q" name="q" type="search" defaultValue={q} autoComplete="off" minLength={2} />
            {offline ? <span className="hint">Offline: searching this device's list (names, companies and badge codes, not emails).</span> : null}
          </div>
          <button type="submit" className="button">
            Search
          </button>
        </Form>
        {localResults && device.list ? (
          <SearchResults
            query={localQuery!}
            results={localResults.map((t) => {
              const at = device.checkedInAt(t);
              return { ...shownOffline(device.list!, t), checkedInAt: at ? formatTimeWithZone(at, device.list!.timeZone) : null, alsoAdmitted: [] };
            })}
            onAdmit={(ticketId) => admit({ ticketId })}
          />
        ) : q.length >= 2 ? (
          <SearchResults query={q} results={results} onAdmit={(ticketId) => admit({ ticketId })} />
        ) : null}
      </section>
    </div>
  );
}

type ResultRow = { id: string; name: string; company: string; ticketType: string; shortCode: string; status: string; checkedInAt: string | null; alsoAdmitted: string[] };

const shownOffline = (list: DoorList, t: DoorListTicket) => ({ id: t.id, name: t.name, company: t.company, ticketType: list.types[t.type] ?? "", shortCode: t.code, status: t.status });

function countsOf(tickets: DoorListTicket[], checkedInAt: (t: DoorListTicket) => string | null) {
  const valid = tickets.filter((t) => t.status === "VALID");
  return { valid: valid.length, checkedIn: valid.filter((t) => checkedInAt(t) !== null).length };
}

function SearchResults({ query, results, onAdmit }: { query: string; results: ResultRow[]; onAdmit: (ticketId: string) => void }) {
  if (results.length === 0) return <p>No ticket matches “{query}”.</p>;
  return (
    <ul className="door-list">
      {results.map((t) => (
        <li key={t.id} className="door-list__item">
          <div>
            <p className="door-list__name">{t.name}</p>
            <p className="small muted">{[t.company, t.ticketType, t.shortCode].filter(Boolean).join(" · ")}</p>
            {t.alsoAdmitted.map((line) => (
              <p key={line} className="small door-list__also">
                {line}
              </p>
            ))}
          </div>
          {t.status !== "VALID" ? (
            <span className="badge badge--danger">{t.status.toLowerCase()}</span>
          ) : (
            <div className="button-row">
              <BadgeLink ticket={t} />
              {t.checkedInAt ? (
                <span className="badge badge--warn">In at {t.checkedInAt}</span>
              ) : (
                // Without script this form posts to the action; with it, admit() picks the server or the device.
                <Form
                  method="post"
                  onSubmit={(event) => {
                    event.preventDefault();
                    onAdmit(t.id);
                  }}
                >
                  <input type="hidden" name="intent" value="admit" />
                  <input type="hidden" name="ticketId" value={t.id} />
                  <button type="submit" className="button" aria-label={`Check in ${t.name}`}>
                    Check in
                  </button>
                </Form>
              )}
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}

/** Online or offline, how many check-ins wait on this device, and when its list was last downloaded. */
function DoorStatus({ device }: { device: ReturnType<typeof useDoorDevice> }) {
  const { connection, queued, list, syncedAt, problem } = device;
  const state = { starting: "Connecting…", online: "Online", offline: "Offline" }[connection];
  const synced = syncedAt && list ? `Ticket list of ${list.tickets.length} last synced at ${formatTimeWithZone(syncedAt, list.timeZone)}` : "No ticket list on this device yet";
  const waiting =
    queued === 0
      ? "Nothing queued on this device."
      : `${queued} ${queued === 1 ? "check-in" : "check-ins"} queued on this device, ${connection === "offline" ? "sent when the connection returns" : "sending now"}.`;
  return (
    <section className={`door-status door-status--${connection}`} aria-labelledby="door-status-title">
      <h2 id="door-status-title" className="door-status__state">
        {state}
      </h2>
      <p className="door-status__detail" role="status">
        {waiting} {synced}.{device.device ? ` This is device ${device.device}.` : ""}
      </p>
      {problem ? <p className="door-status__problem">{problem}</p> : null}
    </section>
  );
}

/** What the server said about the check-ins this device sent, newest first; a second entry or a ticket refunded meanwhile stands out. */
function SentReports({ reports }: { reports: Report[] }) {
  if (reports.length === 0) return null;
  return (
    <section className="card" aria-labelledby="sent-title">
      <h2 id="sent-title">Sent from this device</h2>
      <ul className="door-reports">
        {reports.slice(0, 5).map((r) => (
          <li key={r.clientId} className={`door-report door-report--${r.tone}`}>
            <span className={`badge badge--${r.tone}`}>{r.title}</span> {r.message}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Registers the check-in page's service worker, so that the page opens offline, and hands it the page's files to keep. */
function useServiceWorker() {
  useEffect(() => {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker
      .register("/check-in-sw.js", { scope: "/admin/check-in" })
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => {
        const files = new Set<string>([location.pathname]);
        for (const element of document.querySelectorAll<HTMLScriptElement | HTMLLinkElement>("script[src], link[rel=modulepreload], link[rel=stylesheet], link[rel=icon]")) {
          files.add("src" in element ? element.src : element.href);
        }
        for (const entry of performance.getEntriesByType("resource")) files.add(entry.name);
        registration.active?.postMessage({ type: "keep", urls: [...files] });
      })
      .catch(() => {
        // Without a service worker the page still works offline once open; it only cannot be reloaded.
      });
  }, []);
}

/** The person's badge as a 4 × 3 in label, for the printer at the door. */
function BadgeLink({ ticket }: { ticket: { id: string; name: string } }) {
  return (
    <a className="button button--ghost" href={badgesPdfHref({ ticket: ticket.id }, "label")} aria-label={`Print badge of ${ticket.name} (PDF)`}>
      Print badge
    </a>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
