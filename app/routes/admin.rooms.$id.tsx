import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { DeleteSection, InputField } from "~/components/admin-content";
import { TextField } from "~/components/field";
import { FormErrors } from "~/components/form-errors";
import { deleteRoom, saveRoom } from "~/domain/content-admin.server";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { contentAction, isNew } from "~/route-helpers/admin-forms.server";
import { requireUser } from "~/services/auth.server";
import { db } from "~/services/db.server";
import { roomSchema } from "~/validation/agenda-admin";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.room ? data.room.name : "New room"} · RE3M admin` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireUser(request, "agenda:write");
  const event = await adminEvent(request, context);
  if (isNew(params.id)) return { room: null };
  const room = await db().room.findFirst({ where: { id: params.id, eventId: event.id }, select: { id: true, name: true, capacity: true, position: true } });
  if (!room) throw data({ message: "That room no longer exists." }, { status: 404 });
  return { room };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, "agenda:write");
  const event = await adminEvent(request, context);
  const id = isNew(params.id) ? undefined : params.id;
  return contentAction(request, {
    schema: roomSchema,
    save: (value) => saveRoom(event.id, value, user.id, id),
    remove: () => deleteRoom(event.id, id!, user.id),
    back: (done) => `/admin/rooms?done=${done}`,
  });
}

export default function EditRoom() {
  const { room } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: `room-${room?.id ?? "new"}`,
    lastResult: actionData?.result,
    shouldValidate: "onBlur",
    defaultValue: { name: room?.name ?? "", capacity: room?.capacity ? String(room.capacity) : "", position: String(room?.position ?? 0) },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: roomSchema }),
    constraint: getZodConstraint(roomSchema),
  });
  return (
    <div className="stack">
      <p>
        <Link to="/admin/rooms">← All rooms</Link>
      </p>
      <h1>{room ? room.name : "New room"}</h1>
      <FormErrors errors={form.errors} id={form.errorId} />
      <Form method="post" {...getFormProps(form)} className="card stack">
        <div className="form-grid">
          <TextField field={fields.name} label="Name" />
          <InputField field={fields.capacity} label="Seats" type="number" min={1} />
          <InputField field={fields.position} label="Order in the timetable" type="number" min={0} />
        </div>
        <div>
          <button type="submit" className="button">
            {room ? "Save room" : "Add room"}
          </button>
        </div>
      </Form>
      {room ? <DeleteSection what="room" /> : null}
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
