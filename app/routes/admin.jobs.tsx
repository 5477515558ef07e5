import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import * as z from "~/validation/zod";
import { AdminTable } from "~/components/admin-list";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { jobsNeedingAttention, retryJob } from "~/domain/jobs.server";
import { stamp } from "~/domain/outbox.server";
import { can, requireUser } from "~/services/auth.server";

export const meta: MetaFunction = () => [{ title: "Failed jobs · RE3M admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, "emails:read");
  const event = await adminEvent(request, context);
  const { count, jobs } = await jobsNeedingAttention();
  return { count, canRetry: can(user, "orders:write"), jobs: jobs.map((j) => ({ ...j, failedAt: stamp(j.failedAt, event.timeZone) })) };
}

const retryForm = z.object({ intent: z.literal("retry"), jobId: z.string().check(z.regex(/^\d+$/)) });

// Running an email or a payment event again is an order action, as resending an email is.
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, "orders:write");
  const parsed = retryForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) throw data({ message: "That retry request is not valid." }, { status: 400 });
  if (!(await retryJob(parsed.data.jobId, user.id))) {
    throw data({ message: "That job is no longer waiting for a retry: it may have run already." }, { status: 404 });
  }
  return redirect("/admin/jobs", 303);
}

export default function FailedJobsPage() {
  const { count, jobs, canRetry } = useLoaderData<typeof loader>();
  const retrying = useNavigation().state === "submitting";
  return (
    <div className="stack">
      <header>
        <h1>Failed jobs</h1>
        <p className="muted">
          Background jobs that failed every attempt: emails that could not be sent, payment events from Stripe that could not be
          processed, sweeps that broke. Nothing runs them again until you retry; fix the cause first (the error says what failed).
        </p>
      </header>
      {count === 0 ? (
        <p>No failed jobs. Everything the app had to do in the background has been done.</p>
      ) : (
        <AdminTable
          caption={`${count} failed ${count === 1 ? "job" : "jobs"}`}
          rows={jobs}
          cards
          columns={[
            { header: "Failed", cell: (j) => j.failedAt },
            {
              header: "Job",
              cell: (j) => (
                <>
                  {j.label}
                  {j.emailId ? (
                    <>
                      {" "}
                      (<Link to={`/admin/emails/${j.emailId}`}>the email</Link>)
                    </>
                  ) : null}
                  {j.stripeEventId ? (
                    <>
                      {" "}
                      (<code>{j.stripeEventId}</code>)
                    </>
                  ) : null}
                </>
              ),
            },
            { header: "Attempts", numeric: true, cell: (j) => j.attempts },
            { header: "Last error", cellClassName: "wrap-anywhere", cell: (j) => j.lastError ?? "—" },
            ...(canRetry
              ? [
                  {
                    header: "Retry",
                    cell: (j: (typeof jobs)[number]) => (
                      <Form method="post">
                        <input type="hidden" name="intent" value="retry" />
                        <input type="hidden" name="jobId" value={j.id} />
                        <button type="submit" className="button" disabled={retrying}>
                          Retry now
                        </button>
                      </Form>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
