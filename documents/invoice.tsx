// The tax invoice and the credit note as a PDF (A4/letter-neutral margins). Props only: what the
// document says is composed in the domain (invoices.server.ts invoiceView), like the emails.
import { Document, Page, StyleSheet, Text, View } from "@react-pdf/renderer";

export type InvoiceDocumentProps = {
  eventName: string;
  title: string;
  number: string;
  issuedOn: string;
  credits: { number: string; issuedOn: string } | null;
  seller: { name: string; address: string; taxNumber: string | null };
  buyer: { name: string; email: string; company: string; address: string; country: string; taxNumber: string; purchaseOrder: string };
  orderReference: string;
  currency: string;
  lines: { description: string; quantity: number; unitPrice: string; amount: string }[];
  subtotal: string;
  discount: string | null;
  taxLabel: string;
  tax: string;
  total: string;
  /** The fonts registered by the renderer, first choice first (scripts fall back along the list). */
  fontFamily: string[];
};

const ink = "#1d1830";
const muted = "#5b5670";
const line = "#d9d4e6";
const brand = "#4a2ea0";

const styles = StyleSheet.create({
  page: { paddingTop: 48, paddingBottom: 56, paddingHorizontal: 48, fontSize: 10, color: ink, lineHeight: 1.4 },
  head: { flexDirection: "row", justifyContent: "space-between", marginBottom: 28 },
  title: { fontSize: 22, fontWeight: 700, color: brand, lineHeight: 1.2, marginBottom: 2 },
  muted: { color: muted },
  small: { fontSize: 8.5, color: muted },
  parties: { flexDirection: "row", gap: 24, marginBottom: 24 },
  party: { flex: 1 },
  label: { fontSize: 8, textTransform: "uppercase", letterSpacing: 0.8, color: muted, marginBottom: 4 },
  strong: { fontWeight: 700 },
  table: { borderTopWidth: 1, borderColor: line },
  row: { flexDirection: "row", borderBottomWidth: 1, borderColor: line, paddingVertical: 6 },
  headRow: { flexDirection: "row", paddingVertical: 6, borderBottomWidth: 1.5, borderColor: ink },
  description: { flex: 1, paddingRight: 8 },
  quantity: { width: 40, textAlign: "right" },
  money: { width: 90, textAlign: "right" },
  totals: { marginTop: 12, marginLeft: "auto", width: 260 },
  totalRow: { flexDirection: "row", justifyContent: "space-between", paddingVertical: 3 },
  grandTotal: { flexDirection: "row", justifyContent: "space-between", paddingVertical: 6, marginTop: 4, borderTopWidth: 1.5, borderColor: ink, fontWeight: 700, fontSize: 12 },
  footer: { marginTop: 32, paddingTop: 8, borderTopWidth: 1, borderColor: line, fontSize: 8.5, color: muted },
});

const present = (...parts: string[]) => parts.filter((p) => p.trim() !== "");

export function InvoiceDocument(props: InvoiceDocumentProps) {
  const credit = props.credits !== null;
  return (
    <Document title={`${props.title} ${props.number}`} author={props.seller.name} subject={props.eventName} language="en-CA">
      <Page size="LETTER" style={{ ...styles.page, fontFamily: props.fontFamily }}>
        <View style={styles.head}>
          <View>
            <Text style={styles.title}>{props.title}</Text>
            <Text style={styles.muted}>{props.eventName}</Text>
          </View>
          <View style={{ alignItems: "flex-end" }}>
            <Text style={styles.strong}>No. {props.number}</Text>
            <Text>Date: {props.issuedOn}</Text>
            <Text>Order: {props.orderReference}</Text>
            {props.credits ? (
              <Text>
                Corrects invoice {props.credits.number} of {props.credits.issuedOn}
              </Text>
            ) : null}
          </View>
        </View>
        <View style={styles.parties}>
          <View style={styles.party}>
            <Text style={styles.label}>Sold by</Text>
            <Text style={styles.strong}>{props.seller.name}</Text>
            {props.seller.address ? <Text>{props.seller.address}</Text> : null}
            {props.seller.taxNumber ? <Text>GST/HST registration no. {props.seller.taxNumber}</Text> : null}
          </View>
          <View style={styles.party}>
            <Text style={styles.label}>{credit ? "Credited to" : "Billed to"}</Text>
            {present(props.buyer.company).map((c) => (
              <Text key="company" style={styles.strong}>
                {c}
              </Text>
            ))}
            <Text style={props.buyer.company ? {} : styles.strong}>{props.buyer.name}</Text>
            {present(props.buyer.address, props.buyer.country).map((l) => (
              <Text key={l}>{l}</Text>
            ))}
            <Text style={styles.muted}>{props.buyer.email}</Text>
            {props.buyer.taxNumber ? <Text>Tax no. {props.buyer.taxNumber}</Text> : null}
            {props.buyer.purchaseOrder ? <Text>Purchase order: {props.buyer.purchaseOrder}</Text> : null}
          </View>
        </View>
        <View style={styles.table}>
          <View style={styles.headRow}>
            <Text style={[styles.description, styles.strong]}>Description</Text>
            <Text style={[styles.quantity, styles.strong]}>Qty</Text>
            <Text style={[styles.money, styles.strong]}>Unit price</Text>
            <Text style={[styles.money, styles.strong]}>Amount</Text>
          </View>
          {props.lines.map((l, i) => (
            <View key={i} style={styles.row} wrap={false}>
              <Text style={styles.description}>{l.description}</Text>
              <Text style={styles.quantity}>{l.quantity}</Text>
              <Text style={styles.money}>{l.unitPrice}</Text>
              <Text style={styles.money}>{l.amount}</Text>
            </View>
          ))}
        </View>
        <View style={styles.totals} wrap={false}>
          <View style={styles.totalRow}>
            <Text>Subtotal</Text>
            <Text>{props.subtotal}</Text>
          </View>
          {props.discount ? (
            <View style={styles.totalRow}>
              <Text>Discount</Text>
              <Text>−{props.discount}</Text>
            </View>
          ) : null}
          <View style={styles.totalRow}>
            <Text>{props.taxLabel}</Text>
            <Text>{props.tax}</Text>
          </View>
          <View style={styles.grandTotal}>
            <Text>{credit ? `Total credited (${props.currency})` : `Total (${props.currency})`}</Text>
            <Text>{props.total}</Text>
          </View>
        </View>
        <View style={styles.footer} wrap={false}>
          <Text>
            {credit
              ? `This credit note reduces invoice ${props.credits!.number} by the total above; the amount is refunded to the original payment method.`
              : `Paid in full. Prices include ${props.taxLabel} where shown. Keep this invoice for your records.`}
          </Text>
        </View>
      </Page>
    </Document>
  );
}
