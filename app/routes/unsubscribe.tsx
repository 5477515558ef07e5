import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { currentEvent } from "~/domain/event.server";
import { unsubscribe, unsubscribeAddress } from "~/domain/messages.server";
import { privateHeaders } from "~/services/http-cache.server";

export const headers = () => privateHeaders;

export const meta: MetaFunction = () => [{ title: "Unsubscribe" }, { name: "robots", content: "noindex" }];

// The link at the foot of a non-essential message, and its List-Unsubscribe header. Opening it
// asks first (link checkers and previews open links); a mail client's one-click POST (RFC 8058,
// body "List-Unsubscribe=One-Click") and the button unsubscribe at once.
function addressOf(request: Request) {
  const params = new URL(request.url).searchParams;
  const email = unsubscribeAddress(params.get("e") ?? "", params.get("t") ?? "");
  if (!email) throw data({ message: "This unsubscribe link is not complete or not valid. Use the link from the email as it is, or write to the organisers." }, { status: 400, headers: privateHeaders });
  return { email, query: `e=${encodeURIComponent(params.get("e")!)}&t=${encodeURIComponent(params.get("t")!)}` };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { email, query } = addressOf(request);
  const event = await currentEvent(context);
  return { email, query, eventName: event.shortName };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { email } = addressOf(request);
  await unsubscribe(email);
  const event = await currentEvent(context);
  return { done: true, email, eventName: event.shortName };
}

export default function Unsubscribe() {
  const { email, query, eventName } = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
  return (
    <div className="container container--narrow stack">
      <header className="page-head">
        <p className="eyebrow">{eventName}</p>
        <h1>{done ? "You are unsubscribed" : "Unsubscribe from news"}</h1>
      </header>
      {done ? (
        <p role="status">
          {email} will no longer receive news and offers from {eventName}. Your tickets, receipts, invoices and messages about changes to the event still reach
          you.
        </p>
      ) : (
        <Form method="post" action={`/unsubscribe?${query}`} className="stack">
          <p>
            Stop news and offers from {eventName} to <strong>{email}</strong>? Tickets, receipts, invoices and messages about changes to the event (a room or
            time change) still reach you.
          </p>
          <div>
            <button type="submit" name="List-Unsubscribe" value="One-Click" className="button">
              Unsubscribe
            </button>
          </div>
        </Form>
      )}
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
