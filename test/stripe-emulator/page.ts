// The hosted Checkout page at `/pay/:id`: self-contained HTML (inline CSS, no scripts, no external
// assets) that a person or Playwright can pay, decline or cancel with plain form posts.

import { formatAmount } from "./money";
import type { SessionView } from "./state";

const escapeHtml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;");

/** The success URL with Stripe's template variable filled in. */
export const successRedirect = (successUrl: string, sessionId: string) => successUrl.replaceAll("{CHECKOUT_SESSION_ID}", sessionId);

const STYLE = `
  :root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1f36; background: #f6f8fa; }
  body { margin: 0; }
  .banner { background: #4b2a00; color: #fff; padding: .5rem 1rem; font-weight: 600; text-align: center; }
  .banner p { margin: 0; }
  main { max-width: 40rem; margin: 2rem auto; padding: 1.5rem; background: #fff; border-radius: .5rem; box-shadow: 0 1px 3px rgba(0,0,0,.15); }
  h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
  h2 { font-size: 1.125rem; margin: 1.5rem 0 .5rem; }
  table { width: 100%; border-collapse: collapse; }
  th, td { padding: .5rem .25rem; border-bottom: 1px solid #d5dbe1; text-align: left; vertical-align: top; }
  td.num, th.num { text-align: right; white-space: nowrap; }
  tfoot th, tfoot td { border-bottom: none; }
  tfoot tr.total th, tfoot tr.total td { font-size: 1.125rem; font-weight: 700; border-top: 2px solid #1a1f36; }
  .item-description { display: block; color: #4f566b; font-size: .875rem; }
  .alert { border: 2px solid #a4000f; background: #fff0f0; color: #a4000f; padding: .75rem; border-radius: .375rem; font-weight: 600; }
  .status { border: 2px solid #2f5f8a; background: #eef5fb; padding: .75rem; border-radius: .375rem; }
  label { display: block; font-weight: 600; margin-bottom: .25rem; }
  input[type=email] { font: inherit; width: 100%; box-sizing: border-box; padding: .5rem; border: 1px solid #6b7385; border-radius: .375rem; margin-bottom: 1rem; }
  .actions { display: grid; gap: .75rem; }
  button, .button { font: inherit; font-weight: 600; padding: .75rem 1rem; border-radius: .375rem; border: 2px solid #3d2fb3; background: #3d2fb3; color: #fff; cursor: pointer; text-align: center; text-decoration: none; }
  button.secondary, .button.secondary { background: #fff; color: #3d2fb3; }
  button:focus-visible, .button:focus-visible, input:focus-visible { outline: 3px solid #ffb000; outline-offset: 2px; }
  .hint { color: #4f566b; font-size: .875rem; }
  .return { margin: 1rem 0 1.5rem; }
`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header class="banner"><p>Stripe test emulator · test mode, no real money moves</p></header>
<main>
${body}
</main>
</body>
</html>`;
}

function summary({ session, lineItems, productDescriptions, coupon }: SessionView): string {
  const money = (amount: number) => escapeHtml(formatAmount(amount, session.currency));
  const rows = lineItems
    .map((item, index) => {
      const description = productDescriptions[index];
      return `<tr>
  <td>${escapeHtml(item.description)}${description ? `<span class="item-description">${escapeHtml(description)}</span>` : ""}</td>
  <td class="num">${item.quantity}</td>
  <td class="num">${money(item.price.unit_amount)}</td>
  <td class="num">${money(item.amount_subtotal)}</td>
</tr>`;
    })
    .join("\n");
  const discount = session.total_details.amount_discount;
  const discountLabel = coupon?.name ? `Discount (${escapeHtml(coupon.name)})` : "Discount";
  return `<section aria-labelledby="summary-heading">
<h2 id="summary-heading">Order summary</h2>
<table>
<caption class="hint">Amounts in ${escapeHtml(session.currency.toUpperCase())}</caption>
<thead><tr><th scope="col">Item</th><th scope="col" class="num">Quantity</th><th scope="col" class="num">Unit price</th><th scope="col" class="num">Amount</th></tr></thead>
<tbody>
${rows}
</tbody>
<tfoot>
<tr><th scope="row" colspan="3">Subtotal</th><td class="num">${money(session.amount_subtotal)}</td></tr>
${discount > 0 ? `<tr><th scope="row" colspan="3">${discountLabel}</th><td class="num">${money(-discount)}</td></tr>` : ""}
<tr class="total"><th scope="row" colspan="3">Total due</th><td class="num">${money(session.amount_total)}</td></tr>
</tfoot>
</table>
</section>`;
}

export interface CheckoutPageOptions {
  /** Shown in an alert above the buttons, e.g. "Your card was declined." */
  error?: string;
  /** Re-filled into the email field after a failed attempt. */
  email?: string;
}

export function checkoutPage(view: SessionView, options: CheckoutPageOptions = {}): string {
  const { session } = view;
  const total = formatAmount(session.amount_total, session.currency);
  const payer = session.customer_details?.email ?? session.customer_email;
  const header = `<h1>Checkout</h1>
<p>${session.status === "open" ? "Pay" : "Total"} <strong>${escapeHtml(total)}</strong>${payer ? ` ${session.status === "open" ? "as" : "for"} <strong>${escapeHtml(payer)}</strong>` : ""}.</p>`;

  if (session.status !== "open") {
    const complete = session.status === "complete";
    const returnUrl = complete ? successRedirect(session.success_url, session.id) : session.cancel_url;
    const message = complete
      ? session.payment_status === "unpaid"
        ? "This checkout session is complete. The payment is still processing."
        : "This checkout session is complete. The payment was received."
      : "This checkout session has expired. No payment can be made with it.";
    return layout(
      `Checkout ${complete ? "complete" : "expired"} – Stripe test emulator`,
      `${header}
<p class="status" role="status">${message}</p>
${returnUrl ? `<p class="return"><a class="button secondary" href="${escapeHtml(returnUrl)}">Return to merchant</a></p>` : ""}
${summary(view)}`,
    );
  }

  const expires = new Date(session.expires_at * 1000);
  const emailField = session.customer_email
    ? ""
    : `<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="email" required value="${escapeHtml(options.email ?? "")}">`;
  return layout(
    "Checkout – Stripe test emulator",
    `${header}
<p class="hint">This session expires at <time datetime="${expires.toISOString()}">${escapeHtml(expires.toUTCString())}</time>.</p>
${summary(view)}
<section aria-labelledby="pay-heading">
<h2 id="pay-heading">Payment</h2>
${options.error ? `<p class="alert" role="alert">${escapeHtml(options.error)}</p>` : ""}
<p class="hint">Test card 4242 4242 4242 4242. Pick the outcome to simulate.</p>
<form method="post" action="/pay/${encodeURIComponent(session.id)}">
${emailField}
<div class="actions">
<button type="submit" name="outcome" value="success">Pay with test card</button>
<button type="submit" name="outcome" value="declined">Pay with declined card</button>
<button type="submit" name="outcome" value="delayed">Pay with 3-D Secure (delayed)</button>
${session.cancel_url ? `<button type="submit" name="outcome" value="cancel" class="secondary" formnovalidate>Cancel and return</button>` : ""}
</div>
</form>
</section>`,
  );
}

/** `what` names the missing thing, e.g. "checkout session cs_test_…". */
export function notFoundPage(what: string): string {
  return layout(
    "Not found – Stripe test emulator",
    `<h1>Not found</h1>
<p class="status" role="status">There is no ${escapeHtml(what)} on this emulator.</p>`,
  );
}

/** What `charge.receipt_url` points at: enough to show that the link works. */
export function receiptPage(charge: { id: string; amount: number; amount_refunded: number; currency: string; created: number }): string {
  const money = (amount: number) => escapeHtml(formatAmount(amount, charge.currency));
  return layout(
    "Receipt – Stripe test emulator",
    `<h1>Receipt</h1>
<dl>
<dt>Charge</dt><dd><code>${escapeHtml(charge.id)}</code></dd>
<dt>Date</dt><dd><time datetime="${new Date(charge.created * 1000).toISOString()}">${escapeHtml(new Date(charge.created * 1000).toUTCString())}</time></dd>
<dt>Amount paid</dt><dd>${money(charge.amount)}</dd>
${charge.amount_refunded > 0 ? `<dt>Refunded</dt><dd>${money(charge.amount_refunded)}</dd>` : ""}
</dl>`,
  );
}
