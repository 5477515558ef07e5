import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { DeleteSection, ImageField, TextAreaField } from "~/components/admin-content";
import { TextField } from "~/components/field";
import { FormErrors } from "~/components/form-errors";
import { deleteSpeaker, saveSpeaker } from "~/domain/content-admin.server";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { contentAction, isNew } from "~/route-helpers/admin-forms.server";
import { requireUser } from "~/services/auth.server";
import { db } from "~/services/db.server";
import { speakerSchema } from "~/validation/agenda-admin";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.speaker ? data.speaker.name : "New speaker"} · RE3M admin` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireUser(request, "content:write");
  const event = await adminEvent(request, context);
  if (isNew(params.id)) return { speaker: null };
  const speaker = await db().speaker.findFirst({
    where: { id: params.id, eventId: event.id },
    select: { id: true, slug: true, name: true, role: true, company: true, bio: true, photoUrl: true, featured: true },
  });
  if (!speaker) throw data({ message: "That speaker no longer exists." }, { status: 404 });
  return { speaker };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, "content:write");
  const event = await adminEvent(request, context);
  const id = isNew(params.id) ? undefined : params.id;
  return contentAction(request, {
    schema: speakerSchema,
    imageField: "photo",
    save: (value, photoUrl) => saveSpeaker(event.id, value, user.id, id, photoUrl),
    remove: () => deleteSpeaker(event.id, id!, user.id),
    back: (done) => `/admin/speakers?done=${done}`,
  });
}

export default function EditSpeaker() {
  const { speaker } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: `speaker-${speaker?.id ?? "new"}`,
    lastResult: actionData?.result,
    shouldValidate: "onBlur",
    defaultValue: { name: speaker?.name ?? "", role: speaker?.role ?? "", company: speaker?.company ?? "", bio: speaker?.bio ?? "", featured: speaker?.featured ? "on" : "" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: speakerSchema }),
    constraint: getZodConstraint(speakerSchema),
  });
  return (
    <div className="stack">
      <p>
        <Link to="/admin/speakers">← All speakers</Link>
      </p>
      <h1>{speaker ? speaker.name : "New speaker"}</h1>
      <FormErrors errors={form.errors} id={form.errorId} />
      <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="card stack">
        <div className="form-grid">
          <TextField field={fields.name} label="Name" />
          <TextField field={fields.role} label="Job title" />
          <TextField field={fields.company} label="Organisation" />
        </div>
        <TextAreaField field={fields.bio} label="Biography" rows={6} />
        <ImageField name="photo" label="Photo" current={speaker?.photoUrl ?? null} errors={form.allErrors.photo} />
        <label className="check">
          <input {...getInputProps(fields.featured, { type: "checkbox" })} key={fields.featured.key} /> Feature on the home page
        </label>
        <div>
          <button type="submit" className="button">
            {speaker ? "Save speaker" : "Add speaker"}
          </button>
        </div>
      </Form>
      {speaker ? <DeleteSection what="speaker" /> : null}
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
