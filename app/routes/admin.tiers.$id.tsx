import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { DeleteSection, InputField, TextAreaField } from "~/components/admin-content";
import { TextField } from "~/components/field";
import { FormErrors } from "~/components/form-errors";
import { deleteTier, saveTier } from "~/domain/content-admin.server";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { contentAction, isNew } from "~/route-helpers/admin-forms.server";
import { requireUser } from "~/services/auth.server";
import { db } from "~/services/db.server";
import { tierSchema } from "~/validation/agenda-admin";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.tier ? data.tier.name : "New sponsor tier"} · RE3M admin` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireUser(request, "content:write");
  const event = await adminEvent(request, context);
  if (isNew(params.id)) return { tier: null };
  const tier = await db().sponsorTier.findFirst({ where: { id: params.id, eventId: event.id }, select: { id: true, name: true, rank: true, benefits: true, includesAttendeeList: true } });
  if (!tier) throw data({ message: "That sponsor tier no longer exists." }, { status: 404 });
  return { tier };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, "content:write");
  const event = await adminEvent(request, context);
  const id = isNew(params.id) ? undefined : params.id;
  return contentAction(request, {
    schema: tierSchema,
    save: (value) => saveTier(event.id, value, user.id, id),
    remove: () => deleteTier(event.id, id!, user.id),
    back: (done) => `/admin/tiers?done=${done}`,
  });
}

export default function EditTier() {
  const { tier } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: `tier-${tier?.id ?? "new"}`,
    lastResult: actionData?.result,
    shouldValidate: "onBlur",
    defaultValue: { name: tier?.name ?? "", rank: tier ? String(tier.rank) : "", benefits: tier?.benefits.join("\n") ?? "", includesAttendeeList: tier?.includesAttendeeList ? "on" : "" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: tierSchema }),
    constraint: getZodConstraint(tierSchema),
  });
  return (
    <div className="stack">
      <p>
        <Link to="/admin/tiers">← All tiers</Link>
      </p>
      <h1>{tier ? tier.name : "New sponsor tier"}</h1>
      <FormErrors errors={form.errors} id={form.errorId} />
      <Form method="post" {...getFormProps(form)} className="card stack">
        <div className="form-grid">
          <TextField field={fields.name} label="Name" />
          <InputField field={fields.rank} label="Rank" type="number" min={1} hint="1 is the top tier." />
        </div>
        <TextAreaField field={fields.benefits} label="Benefits" hint="One per line." />
        <label className="check">
          <input {...getInputProps(fields.includesAttendeeList, { type: "checkbox" })} key={fields.includesAttendeeList.key} /> Sponsors of this tier receive the opted-in attendee list
        </label>
        <div>
          <button type="submit" className="button">
            {tier ? "Save tier" : "Add tier"}
          </button>
        </div>
      </Form>
      {tier ? <DeleteSection what="sponsor tier" /> : null}
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
