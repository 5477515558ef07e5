import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { InputField } from "~/components/admin-content";
import { AdminTable } from "~/components/admin-list";
import { TextField } from "~/components/field";
import { FormErrors } from "~/components/form-errors";
import { listEditions, nextEditionDefaults, publishEdition, startNextEdition } from "~/domain/editions.server";
import { DomainError } from "~/domain/errors";
import { editionStatusLabel } from "~/domain/labels";
import { formatDateSpan } from "~/domain/time";
import { chooseEdition } from "~/route-helpers/admin-edition.server";
import { replyWithError } from "~/route-helpers/admin-forms.server";
import { requireUser } from "~/services/auth.server";
import { clock } from "~/services/clock.server";
import { nextEditionSchema, publishEditionSchema } from "~/validation/editions";

const statusBadge = { PUBLIC: "badge--ok", DRAFT: "badge--warn", ARCHIVED: "" } as const;

export const meta: MetaFunction = () => [{ title: "Editions · RE3M admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, "settings:manage");
  const [editions, defaults] = await Promise.all([listEditions(), nextEditionDefaults(clock.now())]);
  return { editions: editions.map((e) => ({ ...e, dates: formatDateSpan(e.first, e.last) })), defaults };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, "settings:manage");
  const formData = await request.formData();
  switch (formData.get("intent")) {
    case "start": {
      const submission = parseWithZod(formData, { schema: nextEditionSchema });
      if (submission.status !== "success") return data({ result: submission.reply(), problem: null }, { status: 400 });
      try {
        const started = await startNextEdition(submission.value, user.id, clock.now());
        // The organiser goes on working on the new draft: the switcher shows it.
        return redirect(`/admin/editions?started=${started.year}`, { status: 303, headers: { "Set-Cookie": await chooseEdition(started.id, false) } });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return data({ result: replyWithError(submission, error), problem: null }, { status: 409 });
      }
    }
    case "publish": {
      const parsed = publishEditionSchema.safeParse(Object.fromEntries(formData));
      if (!parsed.success) return data({ result: null, problem: parsed.error.issues[0]!.message }, { status: 400 });
      try {
        const { published } = await publishEdition(parsed.data.eventId, user.id);
        return redirect(`/admin/editions?published=${encodeURIComponent(published)}`, 303);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return data({ result: null, problem: error.message }, { status: 409 });
      }
    }
    default:
      return data({ result: null, problem: "That action is not available. Reload the page and try again." }, { status: 400 });
  }
}

export default function Editions() {
  const { editions, defaults } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const started = params.get("started");
  const published = params.get("published");
  const [form, fields] = useForm({
    id: "next-edition",
    lastResult: actionData?.result,
    defaultValue: { ...defaults, copySponsors: "on", copySpeakers: "" },
    constraint: getZodConstraint(nextEditionSchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: nextEditionSchema }),
  });
  return (
    <div className="stack">
      <header>
        <h1>Editions</h1>
        <p className="muted">
          One edition is public: the site, its calendars and the checkout show it. Prepare the next one as a draft and publish it when it is ready;
          the edition it replaces is archived, and its agenda, speakers and sponsors stay readable at <code>/editions/</code> and its year. Orders,
          tickets and invoices always stay with their own edition.
        </p>
      </header>
      {started && !actionData ? (
        <div className="alert alert--ok" role="status">
          <p>
            The {started} edition was started as a draft, and the admin pages now show it (change with the switcher at the top). Before you publish it:
            check its <Link to="/admin/settings">settings</Link>, set when <Link to="/admin/ticket-types">ticket sales</Link> open (copied ticket types
            open on the first day until you do), and build its <Link to="/admin/sessions">agenda</Link>.
          </p>
        </div>
      ) : null}
      {published && !actionData ? (
        <p className="alert alert--ok" role="status">
          {published} is now the public edition: the site, its calendars and the checkout show it.
        </p>
      ) : null}
      {actionData?.problem ? (
        <p className="alert alert--error" role="alert">
          {actionData.problem}
        </p>
      ) : null}

      <AdminTable
        caption="Editions"
        cards
        rows={editions}
        columns={[
          { header: "Edition", rowHeader: true, cell: (e) => e.shortName },
          { header: "Dates", cell: (e) => e.dates },
          { header: "Status", cell: (e) => <span className={`badge ${statusBadge[e.status]}`}>{editionStatusLabel[e.status]}</span> },
          {
            header: "Holds",
            cell: (e) =>
              `${e.counts.sessions} sessions, ${e.counts.speakers} speakers, ${e.counts.sponsors} sponsors, ${e.counts.ticketTypes} ticket types, ${e.counts.orders} orders`,
          },
          {
            header: "Actions",
            cell: (e) => (
              <div className="button-row">
                {e.status === "PUBLIC" ? <Link to="/">View the site</Link> : null}
                {e.status === "ARCHIVED" ? <Link to={`/editions/${e.year}`}>View its archive</Link> : null}
                {e.status === "PUBLIC" ? null : (
                  <Form method="post">
                    <input type="hidden" name="intent" value="publish" />
                    <input type="hidden" name="eventId" value={e.id} />
                    <button type="submit" className="button button--small" disabled={busy === "publish"}>
                      Publish {e.shortName}
                    </button>
                  </Form>
                )}
              </div>
            ),
          },
        ]}
      />
      <p className="small muted">
        Publishing switches the site at once (other servers within seconds). A draft published by mistake is taken back by publishing the edition
        before it again.
      </p>

      <section aria-labelledby="next-title" className="card stack">
        <h2 id="next-title">Start the next edition</h2>
        <p>
          A new draft edition, copied from <strong>{defaults.from.shortName}</strong>: its settings, rooms, tracks, ticket types (same prices and
          capacities, nothing sold, not on sale until you set the dates) and sponsor tiers, on new dates of the same length (
          {defaults.from.days === 1 ? "1 day" : `${defaults.from.days} days`}). Sessions are not copied: the new edition starts with an empty
          agenda. Orders, tickets, leads, invoices, waitlists, emails and the audit log stay with {defaults.from.shortName}.
        </p>
        <FormErrors errors={form.errors} id={form.errorId} />
        <Form method="post" {...getFormProps(form)} className="stack">
          <input type="hidden" name="intent" value="start" />
          <div className="form-grid">
            <InputField field={fields.startsOn} label="First day" type="date" hint="The last day follows: the edition keeps its number of days." />
            <TextField field={fields.name} label="Event name" />
            <TextField field={fields.shortName} label="Short name" hint="In email subjects, the admin header and the browser tab." />
            <TextField field={fields.invoicePrefix} label="Invoice number prefix" hint="Each edition needs its own, so that no two invoices share a number." />
          </div>
          <fieldset className="stack">
            <legend>Also copy</legend>
            <label className="check">
              <input {...getInputProps(fields.copySponsors, { type: "checkbox", value: "on" })} key={fields.copySponsors.key} /> The sponsors, with their
              logos, tiers and booths
            </label>
            <label className="check">
              <input {...getInputProps(fields.copySpeakers, { type: "checkbox", value: "on" })} key={fields.copySpeakers.key} /> The speakers, with their
              photos and biographies
            </label>
          </fieldset>
          <div>
            <button type="submit" className="button" disabled={busy === "start"}>
              {busy === "start" ? "Starting…" : "Start the next edition"}
            </button>
          </div>
        </Form>
      </section>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
