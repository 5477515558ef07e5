import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormErrors } from "~/components/form-errors";
import { DomainError } from "~/domain/errors";
import { profileFor, proposeProfileChange } from "~/domain/sponsor-profile.server";
import { requireUser } from "~/services/auth.server";
import { clock } from "~/services/clock.server";
import { discardImage, parseImageForm, storeImage } from "~/services/uploads.server";
import { profileSchema } from "~/validation/sponsor";
import { asDomainError } from "~/route-helpers/images.server";
import { sponsorOf } from "~/route-helpers/sponsor-portal.server";

export const meta: MetaFunction = () => [{ title: "Public profile · Sponsor portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, "sponsor:portal");
  return profileFor(sponsorOf(user));
}

type Errors = Partial<Record<"description" | "website" | "logo" | "form", string>>;

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, "sponsor:portal");
  const sponsorId = sponsorOf(user);
  let logoUrl: string | null = null;
  try {
    const { formData, image } = await parseImageForm(request, "logo");
    const fields = Object.fromEntries([...formData].filter(([, v]) => v !== ""));
    const parsed = profileSchema.safeParse(fields);
    if (!parsed.success) {
      const errors: Errors = {};
      for (const issue of parsed.error.issues) errors[issue.path[0] as keyof Errors] ??= issue.message;
      return data({ ok: false as const, errors }, { status: 400 });
    }
    if (image) logoUrl = await storeImage(image, "logo");
    await proposeProfileChange(sponsorId, { description: parsed.data.description, website: parsed.data.website ?? null, logoUrl }, user.id, clock.now());
    return { ok: true as const, errors: {} as Errors };
  } catch (caught) {
    if (logoUrl) await discardImage(logoUrl);
    const error = asDomainError(caught);
    if (!(error instanceof DomainError)) throw error;
    return data({ ok: false as const, errors: { [error.field ?? "form"]: error.message } as Errors }, { status: 400 });
  }
}

export default function Profile() {
  const { sponsor, pending, lastReview } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result?.errors ?? {};
  const shown = pending ?? sponsor;
  const describedBy = (name: keyof Errors, hint?: string) => [hint, errors[name] ? `${name}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="stack">
      <header>
        <h1>Public profile</h1>
        <p className="muted">
          What attendees see on the sponsors page. Changes appear there once an organiser approves them.
        </p>
      </header>
      {result?.ok ? (
        <div className="alert alert--ok" role="status">
          <p>Thank you. Your change was sent to the organisers for review.</p>
        </div>
      ) : null}
      <FormErrors errors={errors.form} />
      {pending && !result?.ok ? (
        <div className="alert alert--info">
          <p>A change you sent on {new Date(pending.createdAt).toISOString().slice(0, 10)} is waiting for review. Sending another replaces it.</p>
        </div>
      ) : null}
      {!pending && lastReview?.status === "REJECTED" && lastReview.reviewNote ? (
        <div className="alert alert--info">
          <p>Your last change was not approved: {lastReview.reviewNote}</p>
        </div>
      ) : null}
      <Form method="post" encType="multipart/form-data" className="card stack" noValidate>
        <div className="field">
          <label htmlFor="description">Description</label>
          <textarea id="description" name="description" rows={6} defaultValue={shown.description} aria-invalid={errors.description ? true : undefined} aria-describedby={describedBy("description")} />
          {errors.description ? <p className="field-error" id="description-error">{errors.description}</p> : null}
        </div>
        <div className="field">
          <label htmlFor="website">
            Website <span className="muted">(optional)</span>
          </label>
          <input id="website" name="website" type="url" defaultValue={shown.website ?? ""} placeholder="https://" aria-invalid={errors.website ? true : undefined} aria-describedby={describedBy("website")} />
          {errors.website ? <p className="field-error" id="website-error">{errors.website}</p> : null}
        </div>
        <div className="field">
          <label htmlFor="logo">
            Logo <span className="muted">(optional)</span>
          </label>
          {sponsor.logoUrl ? <img src={sponsor.logoUrl} alt={`Current logo of ${sponsor.name}`} className="profile-logo" /> : null}
          <input id="logo" name="logo" type="file" accept="image/png,image/jpeg,image/webp" aria-invalid={errors.logo ? true : undefined} aria-describedby={describedBy("logo", "logo-hint")} />
          <span className="hint" id="logo-hint">
            PNG, JPEG or WebP, at most 2 MB. Leave empty to keep the current logo.
          </span>
          {errors.logo ? <p className="field-error" id="logo-error">{errors.logo}</p> : null}
        </div>
        <p>
          <button type="submit" className="button" disabled={busy}>
            {busy ? "Sending…" : "Send for review"}
          </button>
        </p>
      </Form>
    </div>
  );
}
