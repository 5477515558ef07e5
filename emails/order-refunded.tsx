import { Text } from "@react-email/components";
import { EmailLayout, type EmailEvent } from "./components/layout";
import { sampleEvent } from "./components/sample";
import { styles } from "./components/theme";
import { Action, Fine, Highlight, Paragraph, Subtitle } from "./components/ui";

export type OrderRefundedProps = {
  event: EmailEvent;
  buyerName: string;
  reference: string;
  orderUrl: string;
  /** "CAD": the currency the amounts below are formatted in ("$785.35"). */
  currency: string;
  /** This refund. */
  amount: string;
  /** All refunds of the order so far, this one included. */
  refundedTotal: string;
  orderTotal: string;
  /** True when the whole order is refunded, false when only some tickets were cancelled. */
  wholeOrder: boolean;
  tickets: { name: string; ticketType: string }[];
  /** How the order was paid, so how the money comes back. */
  paidBy: "card" | "invoice";
};

/** A refund: of the whole order, or of some tickets (those are cancelled, the rest still work). */
export default function OrderRefunded(props: OrderRefundedProps) {
  return (
    <EmailLayout
      event={props.event}
      preview={`${props.amount} refunded for order ${props.reference}`}
      reason={`You received this email because you bought order ${props.reference} for ${props.event.shortName}.`}
      title={props.wholeOrder ? "Your order was refunded" : "Tickets cancelled and refunded"}
    >
      <Paragraph>
        {props.wholeOrder
          ? `Hello ${props.buyerName}, order ${props.reference} has been cancelled and refunded in full.`
          : `Hello ${props.buyerName}, some tickets of order ${props.reference} have been cancelled and refunded. The other tickets of the order remain valid.`}
      </Paragraph>
      <Highlight
        label="Refunded now"
        value={`${props.amount} ${props.currency}`}
        note={`Refunded so far: ${props.refundedTotal} of the ${props.orderTotal} paid.`}
        large
      />
      <Paragraph>
        {props.paidBy === "invoice"
          ? "You paid by invoice, so we return the money by transfer to the account it came from. A credit note for this refund is on your order page."
          : "The money goes back to the card you paid with. Banks usually show it within 5 to 10 business days."}
      </Paragraph>
      {props.tickets.length > 0 ? (
        <>
          <Subtitle>Cancelled tickets</Subtitle>
          {props.tickets.map((t) => (
            <Text key={t.name + t.ticketType} style={{ ...styles.text, margin: "0 0 6px" }}>{`${t.name}, ${t.ticketType}`}</Text>
          ))}
          <Fine>These tickets and their QR codes no longer work.</Fine>
        </>
      ) : null}
      <Action href={props.orderUrl}>View your order</Action>
    </EmailLayout>
  );
}

OrderRefunded.PreviewProps = {
  event: sampleEvent,
  buyerName: "Maren Okafor",
  reference: "RE3M-7K2QX",
  orderUrl: "http://localhost:3000/orders/RE3M-7K2QX?k=sample-order-key",
  currency: "CAD",
  amount: "$1,435.95",
  refundedTotal: "$1,435.95",
  orderTotal: "$3,015.97",
  wholeOrder: false,
  tickets: [{ name: "Tomáš Lindqvist", ticketType: "Full Delegate Pass" }],
  paidBy: "card",
} satisfies OrderRefundedProps;
