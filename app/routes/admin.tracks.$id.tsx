import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { DeleteSection, InputField } from "~/components/admin-content";
import { TextField } from "~/components/field";
import { FormErrors } from "~/components/form-errors";
import { deleteTrack, saveTrack } from "~/domain/content-admin.server";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { contentAction, isNew } from "~/route-helpers/admin-forms.server";
import { requireUser } from "~/services/auth.server";
import { db } from "~/services/db.server";
import { trackSchema } from "~/validation/agenda-admin";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.track ? data.track.name : "New track"} · RE3M admin` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireUser(request, "agenda:write");
  const event = await adminEvent(request, context);
  if (isNew(params.id)) return { track: null };
  const track = await db().track.findFirst({ where: { id: params.id, eventId: event.id }, select: { id: true, name: true, color: true, position: true } });
  if (!track) throw data({ message: "That track no longer exists." }, { status: 404 });
  return { track };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, "agenda:write");
  const event = await adminEvent(request, context);
  const id = isNew(params.id) ? undefined : params.id;
  return contentAction(request, {
    schema: trackSchema,
    save: (value) => saveTrack(event.id, value, user.id, id),
    remove: () => deleteTrack(event.id, id!, user.id),
    back: (done) => `/admin/tracks?done=${done}`,
  });
}

export default function EditTrack() {
  const { track } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: `track-${track?.id ?? "new"}`,
    lastResult: actionData?.result,
    shouldValidate: "onBlur",
    defaultValue: { name: track?.name ?? "", color: track?.color ?? "#1D4ED8", position: String(track?.position ?? 0) },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: trackSchema }),
    constraint: getZodConstraint(trackSchema),
  });
  return (
    <div className="stack">
      <p>
        <Link to="/admin/tracks">← All tracks</Link>
      </p>
      <h1>{track ? track.name : "New track"}</h1>
      <FormErrors errors={form.errors} id={form.errorId} />
      <Form method="post" {...getFormProps(form)} className="card stack">
        <div className="form-grid">
          <TextField field={fields.name} label="Name" />
          <InputField field={fields.color} label="Colour" type="color" />
          <InputField field={fields.position} label="Order in lists" type="number" min={0} />
        </div>
        <div>
          <button type="submit" className="button">
            {track ? "Save track" : "Add track"}
          </button>
        </div>
      </Form>
      {track ? <DeleteSection what="track" /> : null}
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
