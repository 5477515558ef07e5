import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { DeleteSection, InputField, SelectField, TextAreaField } from "~/components/admin-content";
import { TextField } from "~/components/field";
import { deleteSession, saveSession, SessionConflicts, sessionFormChoices, sessionForEditing, type Conflict } from "~/domain/agenda-admin.server";
import { DomainError, messages } from "~/domain/errors";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { sessionKindLabel } from "~/domain/labels";
import { zoneAbbreviation } from "~/domain/time";
import { replyWithError } from "~/route-helpers/admin-forms.server";
import { requireUser } from "~/services/auth.server";
import { SESSION_KINDS, sessionSchema, SPEAKER_ROLES } from "~/validation/agenda-admin";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.session ? `Edit ${data.session.title}` : "New session"} · RE3M admin` }];

const SPARE_SPEAKER_ROWS = 2;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireUser(request, "agenda:write");
  const event = await adminEvent(request, context);
  const session = params.id === "new" ? null : await sessionForEditing(event, params.id!);
  if (params.id !== "new" && !session) throw data({ message: "That session no longer exists. It may have been deleted." }, { status: 404 });
  return {
    session,
    choices: await sessionFormChoices(event.id),
    days: event.days,
    zone: `${zoneAbbreviation(new Date(`${event.days[0]}T16:00:00Z`), event.timeZone)}, ${event.timeZone}`,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, "agenda:write");
  const event = await adminEvent(request, context);
  const id = params.id === "new" ? undefined : params.id;
  const formData = await request.formData();
  if (formData.get("intent") === "delete" && id) {
    if (formData.get("confirm") !== "on") return data({ result: null, conflicts: [], deleteError: messages["content.delete-unconfirmed"]() }, { status: 400 });
    try {
      await deleteSession(event.id, id, user.id);
    } catch (error) {
      // Already deleted (by another organiser a moment before): say so, as the other content pages do.
      if (!(error instanceof DomainError)) throw error;
      return data({ result: null, conflicts: [], deleteError: error.message }, { status: 409 });
    }
    return redirect("/admin/sessions?done=deleted");
  }
  const submission = parseWithZod(formData, { schema: sessionSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), conflicts: [] as Conflict[], deleteError: null }, { status: 400 });
  try {
    const saved = await saveSession(event, submission.value, user.id, id);
    return redirect(`/admin/sessions/${saved.id}?done=saved`);
  } catch (error) {
    if (error instanceof SessionConflicts) {
      return data({ result: submission.reply({ formErrors: [messages["session.conflicts"]()] }), conflicts: error.conflicts, deleteError: null }, { status: 409 });
    }
    if (!(error instanceof DomainError)) throw error;
    return data({ result: replyWithError(submission, error), conflicts: [] as Conflict[], deleteError: null }, { status: 409 });
  }
}

export default function EditSession() {
  const { session, choices, days, zone } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const conflicts = actionData?.conflicts ?? [];
  const overridable = conflicts.length > 0 && conflicts.every((c) => c.overridable);
  const speakerRows = [
    ...(session?.speakers ?? []).map((s) => ({ speakerId: s.speakerId, role: s.role })),
    ...Array.from({ length: SPARE_SPEAKER_ROWS }, () => ({ speakerId: "", role: "Speaker" })),
  ];
  const [form, fields] = useForm({
    id: `session-${session?.id ?? "new"}`,
    lastResult: actionData?.result,
    shouldValidate: "onBlur",
    defaultValue: {
      title: session?.title ?? "",
      summary: session?.summary ?? "",
      kind: session?.kind ?? "TALK",
      status: session?.status ?? "DRAFT",
      day: session?.day ?? days[0],
      start: session?.start ?? "",
      end: session?.end ?? "",
      trackId: session?.trackId ?? "",
      roomId: session?.roomId ?? "",
      speakers: speakerRows,
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: sessionSchema }),
    constraint: getZodConstraint(sessionSchema),
  });
  // conform keys the rows of the form's default only; rows a post added (`speakers[19]`, sent by a script) come without.
  const speakers = fields.speakers.getFieldList();
  return (
    <div className="stack">
      <p>
        <Link to="/admin/sessions">← All sessions</Link>
      </p>
      <h1>{session ? session.title : "New session"}</h1>
      {params.get("done") === "saved" ? (
        <div className="alert alert--ok" role="status">
          <p>
            Saved{session?.status === "PUBLISHED" ? " and published: it is on the public agenda now." : " as a draft: only organisers can see it."}
          </p>
        </div>
      ) : null}
      {params.get("copied") ? (
        <div className="alert alert--info" role="status">
          <p>This is a draft copy in the same room and time as the original: change them before saving.</p>
        </div>
      ) : null}
      <FormErrors errors={form.errors} id={form.errorId} />
      {conflicts.length > 0 ? (
        <section className="alert alert--error" aria-labelledby="conflicts-title">
          <h2 id="conflicts-title">Clashes with the agenda</h2>
          <ul>
            {conflicts.map((c) => (
              <li key={`${c.kind}-${c.sessionId ?? ""}-${c.message}`}>
                {c.message}
                {c.sessionId ? (
                  <>
                    {" "}
                    <Link to={`/admin/sessions/${c.sessionId}`}>Open it</Link>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="card stack">
        <div className="form-grid">
          <TextField field={fields.title} label="Title" />
          <SelectField field={fields.kind} label="Kind" options={SESSION_KINDS.map((k) => ({ value: k, label: sessionKindLabel[k] }))} />
          <SelectField
            field={fields.status}
            label="Status"
            options={[
              { value: "DRAFT", label: "Draft (organisers only)" },
              { value: "PUBLISHED", label: "Published (on the public agenda)" },
            ]}
          />
        </div>
        <fieldset className="form-grid">
          <legend>When and where (event time, {zone})</legend>
          <InputField field={fields.day} label="Day" type="date" min={days[0]} max={days[days.length - 1]} />
          <InputField field={fields.start} label="Starts" type="time" step={300} />
          <InputField field={fields.end} label="Ends" type="time" step={300} />
          <SelectField field={fields.trackId} label="Track" empty="No track (plenary)" options={choices.tracks.map((t) => ({ value: t.id, label: t.name }))} />
          <SelectField field={fields.roomId} label="Room" empty="No room yet" options={choices.rooms.map((r) => ({ value: r.id, label: r.name }))} />
        </fieldset>
        <TextAreaField field={fields.summary} label="Summary" />
        <fieldset className="stack">
          <legend>Speakers</legend>
          {fields.speakers.errors ? <p className="field-error">{fields.speakers.errors.join(" ")}</p> : null}
          {speakers.map((row, i) => {
            const f = row.getFieldset();
            return (
              <div className="form-grid" key={row.key ?? i}>
                <SelectField field={f.speakerId} label={`Speaker ${i + 1}`} empty="No speaker" options={choices.speakers.map((s) => ({ value: s.id, label: `${s.name} (${s.company})` }))} />
                <SelectField field={f.role} label={`Role of speaker ${i + 1}`} options={SPEAKER_ROLES.map((r) => ({ value: r, label: r }))} />
              </div>
            );
          })}
          <p className="small muted">
            Need more rows? Save, and two empty rows come back. <Link to="/admin/speakers/new">Add a new speaker</Link>
          </p>
        </fieldset>
        {overridable ? (
          <label className="check">
            <input type="checkbox" name="override" /> Save anyway: I know about the clashes above.
          </label>
        ) : null}
        <div>
          <button type="submit" className="button">
            {session ? "Save session" : "Add session"}
          </button>
        </div>
      </Form>
      {session ? (
        <>
          <FormErrors errors={actionData?.deleteError} />
          <DeleteSection what="session" />
        </>
      ) : null}
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
import { FormErrors } from "~/components/form-errors";
