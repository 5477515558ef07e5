import { Link, Section, Text } from "@react-email/components";
import { EmailLayout, type EmailEvent } from "./components/layout";
import { sampleEvent } from "./components/sample";
import { styles } from "./components/theme";
import { Fine } from "./components/ui";

/** A run of text of the organiser's Markdown (app/domain/markdown.ts parses it). */
export type Inline = { text: string; bold?: boolean; italic?: boolean; href?: string };
export type Block = { kind: "paragraph" | "heading"; inlines: Inline[] } | { kind: "list"; items: Inline[][] };

export type MessageProps = {
  event: EmailEvent;
  subject: string;
  /** The organiser's Markdown, parsed, with this person's name and link filled in. */
  blocks: Block[];
  /** Why this person receives it ("You have a ticket for RE3M 2025."). */
  reason: string;
  /** One-click unsubscribe for a non-essential message; null for an essential one. */
  unsubscribeUrl: string | null;
  test: boolean;
};

function Runs({ inlines }: { inlines: Inline[] }) {
  return (
    <>
      {inlines.map((run, i) => {
        const style = { ...(run.bold ? { fontWeight: 700 } : {}), ...(run.italic ? { fontStyle: "italic" } : {}) };
        return run.href ? (
          <Link key={i} href={run.href} style={{ ...styles.link, ...style }}>
            {run.text}
          </Link>
        ) : (
          <span key={i} style={style}>
            {run.text}
          </span>
        );
      })}
    </>
  );
}

/** A message an organiser wrote to attendees (/admin/messages). */
export default function Message(props: MessageProps) {
  return (
    <EmailLayout event={props.event} preview={props.subject} reason={props.reason} title={props.subject}>
      {props.test ? <Fine>This is a test: the people you send it to see their own name and link here.</Fine> : null}
      {props.blocks.map((block, i) =>
        block.kind === "heading" ? (
          <Text key={i} style={styles.subheading}>
            <Runs inlines={block.inlines} />
          </Text>
        ) : block.kind === "list" ? (
          <Section key={i} style={{ margin: "0 0 16px" }}>
            {block.items.map((item, j) => (
              <Text key={j} style={{ ...styles.text, margin: "0 0 6px", paddingLeft: "16px" }}>
                {"• "}
                <Runs inlines={item} />
              </Text>
            ))}
          </Section>
        ) : (
          <Text key={i} style={styles.text}>
            <Runs inlines={block.inlines} />
          </Text>
        ),
      )}
      {props.unsubscribeUrl ? (
        <Fine>
          Don't want news like this? <Link href={props.unsubscribeUrl} style={styles.link}>Unsubscribe</Link>. Your tickets, receipts and messages about
          changes to the event still reach you.
        </Fine>
      ) : null}
    </EmailLayout>
  );
}

Message.PreviewProps = {
  event: sampleEvent,
  subject: "Room change: the magnet recycling panel moves to Harbour Hall",
  blocks: [
    { kind: "paragraph", inlines: [{ text: "Hello Maren," }] },
    { kind: "paragraph", inlines: [{ text: "The panel on " }, { text: "magnet recycling", bold: true }, { text: " moves to Harbour Hall on the ground floor." }] },
    { kind: "list", items: [[{ text: "Same time: 2:30 p.m." }], [{ text: "Your ticket: " }, { text: "open it", href: "http://localhost:3000/my/sample" }]] },
  ],
  reason: "You received this email because you have a ticket for RE3M 2025.",
  unsubscribeUrl: "http://localhost:3000/unsubscribe?e=sample&t=sample",
  test: false,
} satisfies MessageProps;
