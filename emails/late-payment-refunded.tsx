import { EmailLayout, type EmailEvent } from "./components/layout";
import { sampleEvent } from "./components/sample";
import { Action, Highlight, Paragraph } from "./components/ui";

export type LatePaymentRefundedProps = {
  event: EmailEvent;
  buyerName: string;
  reference: string;
  /** "CAD": the currency `amount` is formatted in. */
  currency: string;
  /** "$3,378.70" */
  amount: string;
  /** Why no tickets could be issued for the payment. */
  reason: "no-seats" | "amount-mismatch";
  buyAgainUrl: string;
};

const explanation: Record<LatePaymentRefundedProps["reason"], string> = {
  "no-seats":
    "Your payment reached us after the time we hold seats during checkout had run out, and in the meantime the last seats were sold to other buyers.",
  "amount-mismatch": "The amount of your payment did not match the total of your order, so we could not confirm it.",
};

/** Money arrived but no tickets could be issued: the buyer is refunded in full and told why. */
export default function LatePaymentRefunded(props: LatePaymentRefundedProps) {
  return (
    <EmailLayout
      event={props.event}
      preview={`We are refunding your payment of ${props.amount} in full`}
      reason={`You received this email because you paid for order ${props.reference} for ${props.event.shortName}.`}
      title="Your payment is being refunded"
    >
      <Paragraph>{`Hello ${props.buyerName}, we are sorry: we could not issue the tickets of order ${props.reference}. ${explanation[props.reason]}`}</Paragraph>
      <Highlight
        label="Refunded in full"
        value={`${props.amount} ${props.currency}`}
        note="Back on the card you paid with, usually within 5 to 10 business days. You do not need to do anything."
        large
      />
      <Paragraph>If you still want to attend, other tickets may be available, and sold-out tickets have a waiting list:</Paragraph>
      <Action href={props.buyAgainUrl}>See available tickets</Action>
    </EmailLayout>
  );
}

LatePaymentRefunded.PreviewProps = {
  event: sampleEvent,
  buyerName: "Maren Okafor",
  reference: "RE3M-7K2QX",
  currency: "CAD",
  amount: "$3,378.70",
  reason: "no-seats",
  buyAgainUrl: "http://localhost:3000/tickets",
} satisfies LatePaymentRefundedProps;
