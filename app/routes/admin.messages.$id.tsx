import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useMemo } from "react";
import { FormErrors } from "~/components/form-errors";
import { MessageForm } from "~/components/message-form";
import { renderEmail } from "~/domain/emails.server";
import { fillPlaceholders } from "~/domain/markdown";
import { DomainError } from "~/domain/errors";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { deleteDraft, messageDetail, messageProgress, recipientsOf, sendMessage, sendTestMessage, updateMessage } from "~/domain/messages.server";
import { stamp } from "~/domain/outbox.server";
import { requireUser } from "~/services/auth.server";
import { clock } from "~/services/clock.server";
import { db } from "~/services/db.server";
import { audienceKinds, messageActionSchema, messageSchema } from "~/validation/message";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.message.subject ?? "Message"} · RE3M admin` }];

const notFound = () => data({ message: "That message does not exist. It may have been deleted." }, { status: 404 });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, "messages:send");
  const event = await adminEvent(request, context);
  const message = await messageDetail(event.id, params.id ?? "");
  if (!message) throw notFound();
  const draft = message.status === "DRAFT";
  const [ticketTypes, recipients, progress, preview] = await Promise.all([
    db().ticketType.findMany({ where: { eventId: event.id }, select: { id: true, name: true }, orderBy: { position: "asc" } }),
    draft ? recipientsOf(event.id, message.audience, message.essential) : null,
    draft ? null : messageProgress(message.id),
    // The real template, as the organiser's own test copy would look.
    renderEmail({ template: "message", toAddress: user.email, subject: fillPlaceholders(message.subject, { name: user.name, link: "" }), payload: { messageId: message.id, email: user.email, test: true } }),
  ]);
  return {
    message: {
      id: message.id,
      subject: message.subject,
      status: message.status,
      essential: message.essential,
      audienceLabel: audienceKinds[message.audience.kind],
      sendingAt: message.sendingAt ? stamp(message.sendingAt, event.timeZone) : null,
      sentAt: message.sentAt ? stamp(message.sentAt, event.timeZone) : null,
      recipientCount: message.recipientCount,
    },
    defaults: { subject: message.subject, body: message.body, audience: message.audience.kind, ticketTypeIds: message.audience.ticketTypeIds, essential: message.essential ? "on" : "" },
    ticketTypes,
    count: recipients?.length ?? null,
    sample: recipients?.slice(0, 5).map((r) => r.email) ?? [],
    progress,
    previewHtml: preview.html,
    me: user.email,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, "messages:send");
  const event = await adminEvent(request, context);
  const id = params.id ?? "";
  const formData = await request.formData();
  try {
    if (formData.get("intent") === "save") {
      const submission = parseWithZod(formData, { schema: messageSchema });
      if (submission.status !== "success") return data({ result: submission.reply(), ok: null, error: null }, { status: 400 });
      await updateMessage(event.id, id, submission.value, user.id);
      return { result: null, ok: "Draft saved. The preview and the number of people below follow it.", error: null };
    }
    const parsed = messageActionSchema.safeParse(Object.fromEntries(formData));
    if (!parsed.success) return data({ result: null, ok: null, error: "That action is not available. Reload the page and try again." }, { status: 400 });
    switch (parsed.data.intent) {
      case "test":
        await sendTestMessage(event.id, id, user);
        return { result: null, ok: `A test copy is on its way to ${user.email}.`, error: null };
      case "send": {
        const { started } = await sendMessage(event.id, id, parsed.data.expectedCount, user.id, clock.now());
        return { result: null, ok: started ? "Sending: the emails are being queued, a few per second." : "This message was already sent.", error: null };
      }
      case "delete":
        await deleteDraft(event.id, id, user.id);
        return redirect("/admin/messages", 303);
    }
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    if (error.rule === "message.not-found") throw notFound();
    return data({ result: null, ok: null, error: error.message }, { status: 409 });
  }
}

export default function MessagePage() {
  const { message, defaults, ticketTypes, count, sample, progress, previewHtml, me } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const draft = message.status === "DRAFT";
  const revalidator = useRevalidator();
  // While emails are queued, the counts follow by themselves.
  const live = !draft && (message.status === "SENDING" || (progress?.queued ?? 0) > 0);
  // The poll loads the page's data again, preview included, whose unsubscribe link is signed anew
  // each time: the frame keeps the preview it has until the message's text changes, rather than
  // reloading every 3 s while the organiser reads it.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const preview = useMemo(() => previewHtml, [defaults.subject, defaults.body, defaults.essential, me]);
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 3000);
    return () => clearInterval(timer);
  }, [live, revalidator]);
  return (
    <div className="stack">
      <p className="small">
        <Link to="/admin/messages">← All messages</Link>
      </p>
      <header>
        <h1>{message.subject}</h1>
        <p className="muted">
          {message.audienceLabel}
          {message.essential ? " · essential (no unsubscribe link)" : " · people who unsubscribed are left out"}
          {message.sentAt ? ` · sent ${message.sentAt}` : message.sendingAt ? ` · sending since ${message.sendingAt}` : " · draft"}
        </p>
      </header>
      {actionData?.ok ? (
        <p className="alert alert--ok" role="status">
          {actionData.ok}
        </p>
      ) : null}
      <FormErrors errors={actionData?.error ?? undefined} />

      {progress ? (
        <section aria-labelledby="progress-title" className="card stack" aria-live="polite">
          <h2 id="progress-title">Delivery</h2>
          <dl className="facts facts--row">
            <div>
              <dt>Queued</dt>
              <dd>{progress.queued}</dd>
            </div>
            <div>
              <dt>Sent</dt>
              <dd>{progress.sent}</dd>
            </div>
            <div>
              <dt>Failed</dt>
              <dd>{progress.failed}</dd>
            </div>
          </dl>
          {progress.failures.length > 0 ? (
            <>
              <h3>Failures</h3>
              <ul>
                {progress.failures.map((f) => (
                  <li key={f.email}>
                    {f.emailId ? <Link to={`/admin/emails/${f.emailId}`}>{f.email}</Link> : f.email}
                    <span className="small muted"> · {f.error || "no reason recorded"}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}

      {draft ? (
        <section aria-labelledby="send-title" className="card stack">
          <h2 id="send-title">Send</h2>
          <p>
            {count === 0
              ? "Nobody would receive this message: choose other recipients."
              : `${count} ${count === 1 ? "person receives" : "people receive"} this message, one email each${sample.length ? `, for example ${sample.join(", ")}` : ""}.`}
          </p>
          <div className="button-row">
            <Form method="post">
              <button type="submit" name="intent" value="test" className="button button--ghost" disabled={busy}>
                Send a test to {me}
              </button>
            </Form>
            {count ? (
              <details className="confirm">
                <summary className="button">Send to {count === 1 ? "1 person" : `${count} people`}</summary>
                <Form method="post" className="stack">
                  <p>It goes out once and cannot be called back. Sure?</p>
                  <input type="hidden" name="expectedCount" value={count} />
                  <button type="submit" name="intent" value="send" className="button" disabled={busy}>
                    Yes, send it now
                  </button>
                </Form>
              </details>
            ) : null}
          </div>
        </section>
      ) : null}

      <section aria-labelledby="preview-title" className="stack">
        <h2 id="preview-title">Preview</h2>
        <p className="small muted">As your test copy looks: each person sees their own name and link.</p>
        <iframe className="email-frame" title={`Preview of “${message.subject}”`} sandbox="" srcDoc={preview} />
      </section>

      {draft ? (
        <section aria-labelledby="edit-title" className="stack">
          <h2 id="edit-title">Edit the draft</h2>
          <MessageForm
            id={`message-${message.id}`}
            defaults={defaults}
            ticketTypes={ticketTypes}
            lastResult={actionData?.result ?? undefined}
            submitLabel="Save draft"
            busy={busy}
          />
          <Form method="post">
            <button type="submit" name="intent" value="delete" className="button button--small button--danger" disabled={busy}>
              Delete this draft
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
