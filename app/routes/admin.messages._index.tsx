import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AdminTable } from "~/components/admin-list";
import { MessageForm } from "~/components/message-form";
import { DomainError } from "~/domain/errors";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { createMessage, messagesOf } from "~/domain/messages.server";
import { stamp } from "~/domain/outbox.server";
import { db } from "~/services/db.server";
import { requireUser } from "~/services/auth.server";
import { audienceKinds, messageSchema, type AudienceKind } from "~/validation/message";

export const meta: MetaFunction = () => [{ title: "Messages · RE3M admin" }];

const statusLabel = { DRAFT: "Draft", SENDING: "Sending", SENT: "Sent" } as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "messages:send");
  const event = await adminEvent(request, context);
  const [messages, ticketTypes] = await Promise.all([
    messagesOf(event.id),
    db().ticketType.findMany({ where: { eventId: event.id }, select: { id: true, name: true }, orderBy: { position: "asc" } }),
  ]);
  return {
    ticketTypes,
    messages: messages.map((m) => ({
      id: m.id,
      subject: m.subject,
      audience: audienceKinds[((m.audience as { kind?: AudienceKind }).kind ?? "everyone") as AudienceKind] ?? "",
      essential: m.essential,
      status: m.status,
      recipientCount: m.recipientCount,
      when: stamp(m.sentAt ?? m.sendingAt ?? m.createdAt, event.timeZone),
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, "messages:send");
  const submission = parseWithZod(await request.formData(), { schema: messageSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const event = await adminEvent(request, context);
  try {
    const message = await createMessage(event.id, submission.value, user.id);
    return redirect(`/admin/messages/${message.id}`, 303);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return data({ result: submission.reply({ formErrors: [error.message] }) }, { status: 409 });
  }
}

export default function MessagesPage() {
  const { messages, ticketTypes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="stack">
      <header>
        <h1>Messages</h1>
        <p className="muted">
          Write to attendees, buyers or sponsor contacts: one email per person, sent once, through the outbox. Write a draft, look at its preview and send a
          test to yourself before sending it.
        </p>
      </header>
      {messages.length > 0 ? (
        <AdminTable
          caption="Messages, newest first"
          cards
          rows={messages}
          columns={[
            { header: "Subject", rowHeader: true, cell: (m) => <Link to={`/admin/messages/${m.id}`}>{m.subject}</Link> },
            { header: "To", cell: (m) => `${m.audience}${m.essential ? " (essential)" : ""}` },
            { header: "Status", cell: (m) => statusLabel[m.status] },
            { header: "People", numeric: true, cell: (m) => (m.status === "DRAFT" ? "—" : m.recipientCount) },
            { header: "When", cell: (m) => m.when },
          ]}
        />
      ) : (
        <p className="muted">No messages yet.</p>
      )}
      <section aria-labelledby="new-title" className="stack">
        <h2 id="new-title">Write a message</h2>
        <MessageForm
          id="new-message"
          defaults={{ subject: "", body: "Hello {{name}},\n\n", audience: "everyone", ticketTypeIds: [], essential: "" }}
          ticketTypes={ticketTypes}
          lastResult={actionData?.result}
          submitLabel="Save draft and preview"
          busy={busy}
        />
      </section>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
