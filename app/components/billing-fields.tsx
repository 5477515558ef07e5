// "Buying for a company?": the details a company buyer's tax invoice is made out to. Closed until
// ticked, so a person buying for themselves sees one line; open when it holds details or errors.
import { getInputProps, getTextareaProps, type FieldMetadata } from "@conform-to/react";
import { useState } from "react";
import { billingLabels } from "~/validation/checkout";
import { FieldError, TextField } from "./field";

type Billing = { forCompany?: string; company?: string; address?: string; country?: string; purchaseOrder?: string; taxNumber?: string };

export function BillingFields({ fields }: { fields: { [K in keyof Billing]-?: FieldMetadata<Billing[K]> } }) {
  // Named one by one: conform's fieldset is a proxy whose keys cannot be listed.
  const needed =
    fields.forCompany.initialValue === "on" ||
    fields.forCompany.value === "on" ||
    [fields.forCompany, fields.company, fields.address, fields.country, fields.purchaseOrder, fields.taxNumber].some((f) => f.errors);
  // Opened once (details kept, an error shown), it stays open: an error going away must not hide
  // the fields being typed in.
  const [open, setOpen] = useState(needed);
  if (needed && !open) setOpen(true);
  return (
    <details className="billing" open={open}>
      <summary>Buying for a company? Add its details to the invoice</summary>
      <div className="stack">
        <label className="check">
          <input {...getInputProps(fields.forCompany, { type: "checkbox", value: "on" })} key={fields.forCompany.key} /> Make the invoice out to a company
        </label>
        <div className="form-grid">
          <TextField field={fields.company} label={billingLabels.company} autoComplete="organization" />
          <TextField field={fields.country} label={billingLabels.country} autoComplete="country-name" />
          <div className="field field--wide">
            <label htmlFor={fields.address.id}>
              {billingLabels.address} <span className="muted">(street, city, province or state, postal code)</span>
            </label>
            <textarea {...getTextareaProps(fields.address)} key={fields.address.key} rows={3} autoComplete="street-address" />
            <FieldError field={fields.address} />
          </div>
          <TextField field={fields.purchaseOrder} label={billingLabels.purchaseOrder} hint="If your finance team gave you one, it is printed on the invoice." />
          <TextField field={fields.taxNumber} label={billingLabels.taxNumber} hint="GST/HST, VAT or other registration number, if you have one." />
        </div>
      </div>
    </details>
  );
}
