import { getInputProps, type FieldMetadata } from "@conform-to/react";
import type { ReactNode } from "react";

/** A labelled text input with its hint and error, wired to conform. */
export function TextField({
  field,
  label,
  type = "text",
  hint,
  autoComplete,
}: {
  field: FieldMetadata<string | undefined>;
  label: string;
  type?: "text" | "email";
  hint?: ReactNode;
  autoComplete?: string;
}) {
  const hintId = `${field.id}-hint`;
  const describedBy = [hint ? hintId : null, field.errors ? field.errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={field.id}>
        {label}
        {field.required ? null : <span className="muted"> (optional)</span>}
      </label>
      <input {...getInputProps(field, { type, ariaDescribedBy: describedBy })} autoComplete={autoComplete} key={field.key} />
      {hint ? (
        <span className="hint" id={hintId}>
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
