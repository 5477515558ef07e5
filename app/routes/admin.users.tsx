import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AdminTable } from "~/components/admin-list";
import { TextField, singleSelectProps } from "~/components/field";
import { FormErrors } from "~/components/form-errors";
import { inviteUser } from "~/domain/accounts.server";
import { DomainError } from "~/domain/errors";
import { requireUser } from "~/services/auth.server";
import { clock } from "~/services/clock.server";
import { db } from "~/services/db.server";
import { inviteSchema } from "~/validation/account";

export const meta: MetaFunction = () => [{ title: "Team · RE3M admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, "users:manage");
  const [users, sponsors] = await Promise.all([
    db().user.findMany({
      select: { id: true, email: true, name: true, role: true, passwordHash: true, sponsor: { select: { name: true } }, sessions: { select: { createdAt: true }, orderBy: { createdAt: "desc" }, take: 1 } },
      orderBy: [{ role: "asc" }, { name: "asc" }],
    }),
    db().sponsor.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } }),
  ]);
  return {
    users: users.map(({ passwordHash, sessions, ...u }) => ({ ...u, active: Boolean(passwordHash), lastLogin: sessions[0]?.createdAt ?? null })),
    sponsors,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireUser(request, "users:manage");
  const submission = parseWithZod(await request.formData(), { schema: inviteSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), invited: null }, { status: 400 });
  try {
    const user = await inviteUser(submission.value, actor.id, clock.now());
    return { result: submission.reply({ resetForm: true }), invited: user.email };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const reply = error.field ? submission.reply({ fieldErrors: { [error.field]: [error.message] } }) : submission.reply({ formErrors: [error.message] });
    return data({ result: reply, invited: null }, { status: 409 });
  }
}

const roleLabel = { ADMIN: "Admin", ORGANISER: "Organiser", CHECKIN: "Door staff", SPONSOR: "Sponsor" } as const;

export default function Team() {
  const { users, sponsors } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({ id: "invite", lastResult: actionData?.result, shouldValidate: "onBlur", onValidate: ({ formData }) => parseWithZod(formData, { schema: inviteSchema }) });
  return (
    <div className="stack">
      <header>
        <h1>Team and sponsor accounts</h1>
        <p className="muted">Invite people by email; they choose their own password from the link (valid 7 days).</p>
      </header>
      {actionData?.invited ? (
        <div className="alert alert--ok" role="status">
          <p>Invitation sent to {actionData.invited}.</p>
        </div>
      ) : null}
      <section aria-labelledby="invite-title" className="card">
        <h2 id="invite-title">Invite someone</h2>
        <FormErrors errors={form.errors} id={form.errorId} />
        <Form method="post" {...getFormProps(form)} className="form-grid">
          <TextField field={fields.name} label="Name" />
          <TextField field={fields.email} label="Email" type="email" />
          <div className="field">
            <label htmlFor={fields.role.id}>Role</label>
            <select {...singleSelectProps(fields.role)} key={fields.role.key}>
              <option value="">Choose…</option>
              <option value="ORGANISER">Organiser (everything but the team)</option>
              <option value="ADMIN">Admin (also manages the team)</option>
              <option value="CHECKIN">Door staff (check-in only)</option>
              <option value="SPONSOR">Sponsor (their own leads)</option>
            </select>
            {fields.role.errors ? <p className="field-error" id={fields.role.errorId}>{fields.role.errors.join(" ")}</p> : null}
          </div>
          <div className="field">
            <label htmlFor={fields.sponsorId.id}>Sponsor (for sponsor accounts)</label>
            <select {...singleSelectProps(fields.sponsorId)} key={fields.sponsorId.key}>
              <option value="">None</option>
              {sponsors.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
            {fields.sponsorId.errors ? <p className="field-error" id={fields.sponsorId.errorId}>{fields.sponsorId.errors.join(" ")}</p> : null}
          </div>
          <div className="field" style={{ alignSelf: "end" }}>
            <button type="submit" className="button">
              Send invitation
            </button>
          </div>
        </Form>
      </section>
      <AdminTable
        caption="Accounts"
        rows={users}
        columns={[
          { header: "Name", cell: (u) => u.name },
          { header: "Email", cell: (u) => u.email },
          { header: "Role", cell: (u) => `${roleLabel[u.role]}${u.sponsor ? ` · ${u.sponsor.name}` : ""}` },
          { header: "Status", cell: (u) => (u.active ? <span className="badge badge--ok">Active</span> : <span className="badge badge--warn">Invited</span>) },
          { header: "Last login", cell: (u) => (u.lastLogin ? new Date(u.lastLogin).toISOString().slice(0, 16).replace("T", " ") + " UTC" : "Never") },
        ]}
      />
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
