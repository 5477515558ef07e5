import { getInputProps, getSelectProps, type FieldMetadata } from "@conform-to/react";
import type { ReactNode } from "react";

/** A labelled text input with its hint and error, wired to conform. */
export function TextField({
  field,
  label,
  type = "text",
  hint,
  autoComplete,
  inputMode,
}: {
  field: FieldMetadata<string | undefined>;
  label: string;
  type?: "text" | "email";
  hint?: ReactNode;
  autoComplete?: string;
  inputMode?: "numeric" | "decimal";
}) {
  const hintId = `${field.id}-hint`;
  const describedBy = [hint ? hintId : null, field.errors ? field.errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={field.id}>
        {label}
        {field.required ? null : <span className="muted"> (optional)</span>}
      </label>
      <input {...getInputProps(field, { type, ariaDescribedBy: describedBy })} autoComplete={autoComplete} inputMode={inputMode} key={field.key} />
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

/** A field's error message, tied to the input by its id (aria-describedby). */
export function FieldError({ field }: { field: { errors?: string[]; errorId: string } }) {
  return field.errors ? (
    <p className="field-error" id={field.errorId}>
      {field.errors.join(" ")}
    </p>
  ) : null;
}

/** An optional date and time, typed in the event's time zone (the label says which). */
export function DateTimeField({ field, label, timeZone }: { field: FieldMetadata<string | undefined>; label: string; timeZone: string }) {
  return (
    <div className="field">
      <label htmlFor={field.id}>
        {label} <span className="muted">(optional, {timeZone} time)</span>
      </label>
      <input {...getInputProps(field, { type: "datetime-local" })} key={field.key} />
      <FieldError field={field} />
    </div>
  );
}

/**
 * conform's select props for a select of one value. A form sent back with the name repeated (by a
 * script; the page never does) gives the field an array, which React refuses for such a select.
 */
export function singleSelectProps<Schema>(field: FieldMetadata<Schema>, options?: Parameters<typeof getSelectProps>[1]) {
  const props = getSelectProps(field, options);
  return { ...props, defaultValue: Array.isArray(props.defaultValue) ? props.defaultValue[0] : props.defaultValue };
}
