// Pieces shared by the admin's agenda and content pages.
import { getInputProps, getTextareaProps, type FieldMetadata } from "@conform-to/react";
import { Form, Link, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import { singleSelectProps } from "./field";

function FieldShell({ field, label, hint, children }: { field: FieldMetadata<unknown>; label: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={field.id}>
        {label}
        {field.required ? null : <span className="muted"> (optional)</span>}
      </label>
      {children}
      {hint ? (
        <span className="hint" id={`${field.id}-hint`}>
          {hint}
        </span>
      ) : null}
      {field.errors ? (
        <p className="field-error" id={field.errorId}>
          {field.errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled input of any type that TextField does not cover (number, date, time, colour). */
export function InputField({
  field,
  label,
  type,
  hint,
  ...attributes
}: {
  field: FieldMetadata<unknown>;
  label: string;
  type: "number" | "date" | "time" | "color";
  hint?: ReactNode;
  min?: string | number;
  max?: string | number;
  step?: number;
}) {
  return (
    <FieldShell field={field as FieldMetadata<unknown>} label={label} hint={hint}>
      <input {...getInputProps(field as FieldMetadata<string>, { type, ariaDescribedBy: hint ? `${field.id}-hint` : undefined })} {...attributes} key={field.key} />
    </FieldShell>
  );
}

export function SelectField({
  field,
  label,
  options,
  empty,
  hint,
}: {
  field: FieldMetadata<string | null | undefined>;
  label: string;
  options: { value: string; label: string }[];
  /** The label of the "nothing chosen" option, when there is one. */
  empty?: string;
  hint?: ReactNode;
}) {
  return (
    <FieldShell field={field as FieldMetadata<unknown>} label={label} hint={hint}>
      <select {...singleSelectProps(field as FieldMetadata<string>, { ariaDescribedBy: hint ? `${field.id}-hint` : undefined })} key={field.key}>
        {empty !== undefined ? <option value="">{empty}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

export function TextAreaField({ field, label, hint, rows = 5 }: { field: FieldMetadata<string | undefined>; label: string; hint?: ReactNode; rows?: number }) {
  return (
    <FieldShell field={field as FieldMetadata<unknown>} label={label} hint={hint}>
      <textarea {...getTextareaProps(field, { ariaDescribedBy: hint ? `${field.id}-hint` : undefined })} rows={rows} key={field.key} />
    </FieldShell>
  );
}

/** A file input for a photo or logo, with the current image and a way to remove it. */
export function ImageField({ name, label, current, errors }: { name: string; label: string; current: string | null; errors?: string[] }) {
  return (
    <div className="field">
      <label htmlFor={name}>
        {label} <span className="muted">(optional)</span>
      </label>
      {current ? <img src={current} alt="" className="admin-thumb" width={96} height={96} /> : null}
      <input id={name} name={name} type="file" accept="image/png,image/jpeg,image/webp" aria-describedby={`${name}-hint${errors ? ` ${name}-error` : ""}`} aria-invalid={errors ? true : undefined} />
      <span className="hint" id={`${name}-hint`}>
        PNG, JPEG or WebP, at most 2 MB.
      </span>
      {errors ? (
        <p className="field-error" id={`${name}-error`}>
          {errors.join(" ")}
        </p>
      ) : null}
      {current ? (
        <label className="check">
          <input type="checkbox" name="removeImage" /> Remove the current image
        </label>
      ) : null}
    </div>
  );
}

/** Deleting asks for a tick first, so a stray click cannot remove anything (no script needed). */
export function DeleteSection({ what }: { what: string }) {
  return (
    <section aria-labelledby="delete-title" className="card admin-danger">
      <h2 id="delete-title">Delete this {what}</h2>
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="delete" />
        <label className="check">
          <input type="checkbox" name="confirm" required /> Yes, delete this {what}. This cannot be undone.
        </label>
        <div>
          <button type="submit" className="button button--danger">
            Delete {what}
          </button>
        </div>
      </Form>
    </section>
  );
}

/** "Saved." / "Deleted." after a redirect back to a list (`?done=saved`). */
export function DoneNotice() {
  const [params] = useSearchParams();
  const done = params.get("done");
  if (done !== "saved" && done !== "deleted") return null;
  return (
    <div className="alert alert--ok" role="status">
      <p>{done === "saved" ? "Your changes were saved." : "Deleted."}</p>
    </div>
  );
}

/** The heading of an admin list page with its main action. */
export function ListHead({ title, intro, newHref, newLabel, children }: { title: string; intro: ReactNode; newHref: string; newLabel: string; children?: ReactNode }) {
  return (
    <header className="admin-head">
      <div>
        <h1>{title}</h1>
        <p className="muted">{intro}</p>
      </div>
      <div className="admin-head__actions">
        {children}
        <Link to={newHref} className="button">
          {newLabel}
        </Link>
      </div>
    </header>
  );
}
