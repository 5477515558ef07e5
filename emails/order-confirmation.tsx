import { Section, Text } from "@react-email/components";
import type { CSSProperties } from "react";
import { EmailLayout, type EmailEvent } from "./components/layout";
import { sampleEvent } from "./components/sample";
import { colors, styles } from "./components/theme";
import { Action, Fine, Paragraph, Subtitle } from "./components/ui";

export type OrderConfirmationProps = {
  event: EmailEvent;
  buyerName: string;
  reference: string;
  orderUrl: string;
  /** "September 2, 2025" */
  paidOn: string;
  /** "CAD": the amounts below are already formatted in it ("$3,015.97"). */
  currency: string;
  lines: { name: string; quantity: number; unitPrice: string; amount: string }[];
  subtotal: string;
  /** Null when no discount applies; the amount is shown as a deduction. */
  discount: { code: string | null; amount: string } | null;
  /** "HST 13%" */
  taxLabel: string;
  tax: string;
  total: string;
  /** The organiser's tax registration, printed on the receipt. */
  /** Who sold the tickets, as the tax authority knows them. */
  seller: string;
  taxNumber: string | null;
  attendees: { name: string; email: string; ticketType: string }[];
};

const totalCell: CSSProperties = { ...styles.cell, fontWeight: 800, fontSize: "17px", borderBottom: "none", paddingTop: "12px" };

/** The buyer's receipt: what was bought, the discount, the tax and the total, to the cent. */
export default function OrderConfirmation(props: OrderConfirmationProps) {
  const rows: { label: string; amount: string }[] = [
    ...props.lines.map((line) => ({ label: `${line.quantity} × ${line.name} at ${line.unitPrice}`, amount: line.amount })),
    { label: "Subtotal", amount: props.subtotal },
    ...(props.discount ? [{ label: `Discount${props.discount.code ? ` (${props.discount.code})` : ""}`, amount: `−${props.discount.amount}` }] : []),
    { label: props.taxLabel, amount: props.tax },
  ];
  return (
    <EmailLayout
      event={props.event}
      preview={`Order ${props.reference} is confirmed: ${props.total} paid`}
      reason={`You received this receipt because you bought tickets for ${props.event.shortName}.`}
      title="Your order is confirmed"
    >
      <Paragraph>{`Thank you, ${props.buyerName}. Order ${props.reference} is paid and its tickets are issued. Each attendee gets their own email with a QR code for the entrance.`}</Paragraph>
      <Subtitle>{`Receipt for order ${props.reference}`}</Subtitle>
      <table data-text-format="dataTable" style={{ width: "100%", borderCollapse: "collapse", margin: "0 0 8px" }}>
        <thead>
          <tr>
            <th style={{ ...styles.label, textAlign: "left", paddingBottom: "4px" }}>Item</th>
            <th style={{ ...styles.label, textAlign: "right", paddingBottom: "4px" }}>{`Amount (${props.currency})`}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label}>
              <td style={styles.cell}>{row.label}</td>
              <td style={styles.numberCell as CSSProperties}>{row.amount}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td style={totalCell}>Total paid</td>
            <td style={{ ...totalCell, textAlign: "right", whiteSpace: "nowrap" }}>{props.total}</td>
          </tr>
        </tfoot>
      </table>
      <Fine>{`Paid on ${props.paidOn}. Sold by ${props.seller}.${props.taxNumber ? ` ${props.taxNumber}.` : ""}`}</Fine>
      <Subtitle>Tickets in this order</Subtitle>
      <Section style={{ margin: "0 0 16px" }}>
        {props.attendees.map((a) => (
          <Text key={a.email + a.name} style={{ ...styles.text, margin: "0 0 8px", paddingLeft: "12px", borderLeft: `3px solid ${colors.copper}` }}>
            {`${a.name}, ${a.ticketType} (ticket sent to ${a.email})`}
          </Text>
        ))}
      </Section>
      <Action href={props.orderUrl}>View your order</Action>
      <Fine>Keep this email: the link above is your private access to the order.</Fine>
    </EmailLayout>
  );
}

OrderConfirmation.PreviewProps = {
  event: sampleEvent,
  buyerName: "Maren Okafor",
  reference: "RE3M-7K2QX",
  orderUrl: "http://localhost:3000/orders/RE3M-7K2QX?k=sample-order-key",
  paidOn: "September 2, 2025",
  currency: "CAD",
  lines: [
    { name: "Full Delegate Pass", quantity: 2, unitPrice: "$1,495.00", amount: "$2,990.00" },
    { name: "Welcome Reception Only", quantity: 1, unitPrice: "$150.00", amount: "$150.00" },
  ],
  subtotal: "$3,140.00",
  discount: { code: "MAGNET15", amount: "$471.00" },
  taxLabel: "HST 13%",
  tax: "$346.97",
  total: "$3,015.97",
  seller: "Adamas Intelligence Inc.",
  taxNumber: "HST registration no. 123456789 RT0001",
  attendees: [
    { name: "Maren Okafor", email: "maren@sample-magnetics.example", ticketType: "Full Delegate Pass" },
    { name: "Tomáš Lindqvist", email: "tomas@sample-magnetics.example", ticketType: "Full Delegate Pass" },
    { name: "Aiko Brandt", email: "aiko@sample-magnetics.example", ticketType: "Welcome Reception Only" },
  ],
} satisfies OrderConfirmationProps;
