import { Text } from "@react-email/components";
import { EmailLayout, type EmailEvent } from "./components/layout";
import { sampleEvent } from "./components/sample";
import { styles } from "./components/theme";
import { Action, Facts, Fine, Highlight, Paragraph, Subtitle } from "./components/ui";

export type InvoicePaymentProps = {
  event: EmailEvent;
  /** issued: the order is confirmed, awaiting payment; reminder: still unpaid; extended: a new due date; cancelled: ended unpaid. */
  kind: "issued" | "reminder" | "extended" | "cancelled";
  buyerName: string;
  company: string;
  reference: string;
  orderUrl: string;
  /** The invoice to quote with the payment ("RE3M25-00042"), null if none was issued. */
  invoiceNumber: string | null;
  currency: string;
  /** "$3,378.70": what is still to pay (the whole total until a transfer is recorded). */
  outstanding: string;
  total: string;
  /** "Friday, August 29, 2025" */
  dueOn: string;
  /** The organiser's bank details and how to pay, as typed in the settings (several lines). */
  instructions: string;
  seats: { ticketType: string; quantity: number }[];
  /** Tickets the buyer names after the order (each comes with a link to name its attendee). */
  toBeNamed: number;
  /** Why a cancelled order ended: "invoice-overdue", "organiser-cancelled", "buyer-cancelled". */
  reason: string | null;
  buyAgainUrl: string;
  contactEmail: string;
};

const titles: Record<InvoicePaymentProps["kind"], string> = {
  issued: "Your order is confirmed: payment by invoice",
  reminder: "Your invoice is awaiting payment",
  extended: "Your invoice has a new due date",
  cancelled: "Your order was cancelled",
};

const cancelledBecause: Record<string, string> = {
  "invoice-overdue": "we had not received the payment by its due date",
  "organiser-cancelled": "the organisers cancelled it",
  "buyer-cancelled": "you asked us to",
};

/** Pay by invoice: the invoice and how to pay it, reminders, a new due date, and the end of an unpaid order. */
export default function InvoicePayment(props: InvoicePaymentProps) {
  const quote = props.invoiceNumber ? `${props.invoiceNumber} (order ${props.reference})` : props.reference;
  if (props.kind === "cancelled") {
    return (
      <EmailLayout
        event={props.event}
        preview={`Order ${props.reference} was cancelled and its seats released`}
        reason={`You received this email because you ordered tickets for ${props.event.shortName} to pay by invoice.`}
        title={titles.cancelled}
      >
        <Paragraph>{`Hello ${props.buyerName}, order ${props.reference} was cancelled because ${cancelledBecause[props.reason ?? ""] ?? "it ended unpaid"}. Its seats were released, and invoice ${props.invoiceNumber ?? ""} is cancelled by a credit note, which you can download from the order page. Nothing is owed.`}</Paragraph>
        <Paragraph>{`If you already sent a payment, write to ${props.contactEmail || "the organisers"} quoting ${quote}: if seats are still free we can reinstate the order, otherwise we return the money.`}</Paragraph>
        <Action href={props.buyAgainUrl}>See available tickets</Action>
      </EmailLayout>
    );
  }
  return (
    <EmailLayout
      event={props.event}
      preview={`${props.outstanding} ${props.currency} due by ${props.dueOn}: quote ${quote}`}
      reason={`You received this email because you ordered tickets for ${props.event.shortName} to pay by invoice.`}
      title={titles[props.kind]}
    >
      <Paragraph>
        {props.kind === "issued"
          ? `Hello ${props.buyerName}, thank you: your seats are held for ${props.company} until the due date below. The tax invoice is attached. Your tickets are issued as soon as we receive the payment.`
          : props.kind === "reminder"
            ? `Hello ${props.buyerName}, we have not yet received the full payment for order ${props.reference}. Your seats stay held until the due date below; after it the order is cancelled and the seats go back on sale.`
            : `Hello ${props.buyerName}, the organisers gave order ${props.reference} more time. Your seats stay held until the new due date below.`}
      </Paragraph>
      <Highlight label={`Amount due by ${props.dueOn}`} value={`${props.outstanding} ${props.currency}`} note={`Quote ${quote} with your payment.`} large />
      <Subtitle>How to pay</Subtitle>
      {props.instructions.split(/\r?\n/).map((line, i) => (
        <Text key={i} style={{ ...styles.text, margin: "0 0 4px" }}>
          {line || "\u00a0"}
        </Text>
      ))}
      <Facts
        items={[
          { label: "Order", value: props.reference },
          ...(props.invoiceNumber ? [{ label: "Invoice", value: props.invoiceNumber }] : []),
          { label: "Order total", value: `${props.total} ${props.currency}` },
          { label: "Seats held", value: props.seats.map((s) => `${s.quantity} × ${s.ticketType}`).join(", ") },
        ]}
      />
      {props.toBeNamed > 0 ? (
        <Paragraph>{`Once paid, each of the ${props.toBeNamed} tickets comes to you with a link to name its attendee; they then receive the ticket themselves.`}</Paragraph>
      ) : null}
      <Action href={props.orderUrl}>View your order and invoice</Action>
      <Fine>Bank charges are the payer's. A cheque or transfer that arrives after the due date may find the seats sold.</Fine>
    </EmailLayout>
  );
}

InvoicePayment.PreviewProps = {
  event: sampleEvent,
  kind: "issued",
  buyerName: "Maren Okafor",
  company: "Northern Magnetics Ltd.",
  reference: "RE3M-7K2QX",
  orderUrl: "http://localhost:3000/orders/RE3M-7K2QX?k=sample-order-key",
  invoiceNumber: "RE3M25-00042",
  currency: "CAD",
  outstanding: "$3,378.70",
  total: "$3,378.70",
  dueOn: "Friday, August 29, 2025",
  instructions: "Bank: Royal Bank of Canada\nAccount holder: Adamas Intelligence Inc.\nTransit 00002, institution 003, account 1234567",
  seats: [{ ticketType: "Full Delegate Pass", quantity: 3 }],
  toBeNamed: 3,
  reason: null,
  buyAgainUrl: "http://localhost:3000/tickets",
  contactEmail: "tickets@example.com",
} satisfies InvoicePaymentProps;
