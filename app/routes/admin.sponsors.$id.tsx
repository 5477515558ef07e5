import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { DeleteSection, ImageField, InputField, SelectField, TextAreaField } from "~/components/admin-content";
import { TextField } from "~/components/field";
import { FormErrors } from "~/components/form-errors";
import { deleteSponsor, saveSponsor } from "~/domain/content-admin.server";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { contentAction, isNew } from "~/route-helpers/admin-forms.server";
import { requireUser } from "~/services/auth.server";
import { db } from "~/services/db.server";
import { sponsorSchema } from "~/validation/agenda-admin";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.sponsor ? data.sponsor.name : "New sponsor"} · RE3M admin` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireUser(request, "content:write");
  const event = await adminEvent(request, context);
  const tiers = await db().sponsorTier.findMany({ where: { eventId: event.id }, select: { id: true, name: true }, orderBy: { rank: "asc" } });
  if (isNew(params.id)) return { sponsor: null, tiers };
  const sponsor = await db().sponsor.findFirst({
    where: { id: params.id, eventId: event.id },
    select: { id: true, slug: true, name: true, tierId: true, description: true, website: true, logoUrl: true, accent: true, booth: true },
  });
  if (!sponsor) throw data({ message: "That sponsor no longer exists." }, { status: 404 });
  return { sponsor, tiers };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, "content:write");
  const event = await adminEvent(request, context);
  const id = isNew(params.id) ? undefined : params.id;
  return contentAction(request, {
    schema: sponsorSchema,
    imageField: "logo",
    save: (value, logoUrl) => saveSponsor(event.id, value, user.id, id, logoUrl),
    remove: () => deleteSponsor(event.id, id!, user.id),
    back: (done) => `/admin/sponsors?done=${done}`,
  });
}

export default function EditSponsor() {
  const { sponsor, tiers } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: `sponsor-${sponsor?.id ?? "new"}`,
    lastResult: actionData?.result,
    shouldValidate: "onBlur",
    defaultValue: {
      name: sponsor?.name ?? "",
      tierId: sponsor?.tierId ?? "",
      description: sponsor?.description ?? "",
      website: sponsor?.website ?? "",
      accent: sponsor?.accent ?? "#1f2937",
      booth: sponsor?.booth ?? "",
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: sponsorSchema }),
    constraint: getZodConstraint(sponsorSchema),
  });
  return (
    <div className="stack">
      <p>
        <Link to="/admin/sponsors">← All sponsors</Link>
      </p>
      <header className="admin-head">
        <h1>{sponsor ? sponsor.name : "New sponsor"}</h1>
        {/* Room for the sponsor's own pages (leads, profile changes) beside this editor. */}
        {sponsor ? (
          <nav aria-label="This sponsor" className="admin-subnav">
            <Link to={`/sponsors/${sponsor.slug}`}>Public page</Link>
          </nav>
        ) : null}
      </header>
      <FormErrors errors={form.errors} id={form.errorId} />
      <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="card stack">
        <div className="form-grid">
          <TextField field={fields.name} label="Name" />
          <SelectField field={fields.tierId} label="Tier" empty="Choose…" options={tiers.map((t) => ({ value: t.id, label: t.name }))} />
          <TextField field={fields.website} label="Website" hint="A full address, e.g. https://example.com" />
          <TextField field={fields.booth} label="Booth" />
          <InputField field={fields.accent} label="Accent colour" type="color" />
        </div>
        <TextAreaField field={fields.description} label="Description" />
        <ImageField name="logo" label="Logo" current={sponsor?.logoUrl ?? null} errors={form.allErrors.logo} />
        <div>
          <button type="submit" className="button">
            {sponsor ? "Save sponsor" : "Add sponsor"}
          </button>
        </div>
      </Form>
      {sponsor ? <DeleteSection what="sponsor" /> : null}
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
