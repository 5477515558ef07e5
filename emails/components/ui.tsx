import { Button, Column, Heading, Row, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";
import { styles } from "./theme";

export function Subtitle({ children }: { children: string }) {
  return (
    <Heading as="h2" style={styles.subheading}>
      {children}
    </Heading>
  );
}

export function Paragraph({ children }: { children: ReactNode }) {
  return <Text style={styles.text}>{children}</Text>;
}

export function Fine({ children }: { children: ReactNode }) {
  return <Text style={styles.small}>{children}</Text>;
}

/** The one call to action of an email; the address is repeated in words for clients that block buttons. */
export function Action({ href, children }: { href: string; children: string }) {
  return (
    <Section style={{ margin: "8px 0 20px" }}>
      <Button href={href} style={styles.button}>
        {children}
      </Button>
      {/* The plain-text version prints the address beside the button already. */}
      <Text data-skip-in-text="true" style={{ ...styles.small, margin: "12px 0 0", wordBreak: "break-all" }}>
        {`Or open this address: ${href}`}
      </Text>
    </Section>
  );
}

/** Label-above-value pairs, e.g. the ticket's holder, type and dates. */
export function Facts({ items }: { items: { label: string; value: ReactNode }[] }) {
  return (
    <Section style={{ margin: "0 0 8px" }}>
      {items.map((item) => (
        <Row key={item.label}>
          <Column>
            <Text style={styles.label}>{item.label}</Text>
            <Text style={styles.value}>{item.value}</Text>
          </Column>
        </Row>
      ))}
    </Section>
  );
}

/** A tinted box for what matters most: an amount, a deadline; with an optional line of detail. */
export function Highlight({ label, value, note, large = false }: { label: string; value: string; note?: string; large?: boolean }) {
  return (
    <Section style={styles.box}>
      <Text style={styles.label}>{label}</Text>
      <Text style={{ ...styles.value, margin: note ? "0 0 4px" : 0, ...(large ? { fontSize: "22px", lineHeight: "28px" } : {}) }}>{value}</Text>
      {note ? <Text style={{ ...styles.small, margin: 0 }}>{note}</Text> : null}
    </Section>
  );
}
