// Name badges as a PDF: six to a US letter sheet of 4 × 3 in badge inserts, with cut marks in the
// margins, or one per 4 × 3 in page for a label printer. Props only: the domain
// (app/domain/badges.server.ts) has already fitted each name and company into its box.
import { Document, Image, Page, StyleSheet, Text, View } from "@react-pdf/renderer";
import { BADGE, BADGES_PER_SHEET, BAND_HEIGHT, COLUMN_GAP, HEADER_HEIGHT, NAME_BOX, PADDING, QR_SIZE, SHEET } from "./badge-layout";

export type FittedText = { lines: string[]; fontSize: number; lineHeight: number };

export type BadgeView = {
  /** The ticket's id, for nothing but React's key. */
  id: string;
  name: FittedText;
  company: FittedText | null;
  ticketType: FittedText;
  /** The ticket type's colour, and the colour of the text on it. */
  band: { background: string; foreground: string };
  /** The ticket's QR code as a PNG. */
  qrPng: Buffer;
  shortCode: string;
};

export type BadgesDocumentProps = {
  layout: "sheet" | "label";
  title: string;
  /** The event's short name, printed on every badge. */
  eventName: string;
  badges: BadgeView[];
  /** The fonts registered by the renderer, first choice first (scripts fall back along the list). */
  fontFamily: string[];
};

type Style = Parameters<typeof StyleSheet.create>[0][string];

const ink = "#1d1830";
const muted = "#5b5670";
const brand = "#4a2ea0";
const cutMark = "#9a96a8";
const MARK_LENGTH = 12;
const MARK_GAP = 6;

const styles = StyleSheet.create({
  badge: { width: BADGE.width, height: BADGE.height, position: "relative", color: ink, backgroundColor: "#ffffff" },
  header: { position: "absolute", top: PADDING.top, left: PADDING.x, right: PADDING.x, height: HEADER_HEIGHT, fontSize: 10, fontWeight: 700, color: brand, letterSpacing: 0.6 },
  middle: {
    position: "absolute",
    top: PADDING.top + HEADER_HEIGHT,
    bottom: BAND_HEIGHT,
    left: PADDING.x,
    right: PADDING.x,
    flexDirection: "row",
    alignItems: "center",
  },
  text: { width: NAME_BOX.width, marginRight: COLUMN_GAP },
  name: { fontWeight: 700 },
  company: { color: muted },
  qr: { width: QR_SIZE, alignItems: "center" },
  qrImage: { width: QR_SIZE, height: QR_SIZE },
  shortCode: { marginTop: 2, fontSize: 9, lineHeight: 1.2, letterSpacing: 1.5, color: muted },
  band: { position: "absolute", left: 0, right: 0, bottom: 0, height: BAND_HEIGHT, paddingHorizontal: PADDING.x, justifyContent: "center" },
  type: { fontWeight: 700, letterSpacing: 0.4 },
});

/** Fitted lines, each its own Text so that the renderer keeps the breaks the domain chose. */
function Lines({ text, style, box }: { text: FittedText; style: Style; box?: Style }) {
  return (
    <View style={box}>
      {text.lines.map((line, i) => (
        <Text key={i} style={[style, { fontSize: text.fontSize, lineHeight: text.lineHeight }]}>
          {line}
        </Text>
      ))}
    </View>
  );
}

function Badge({ badge, eventName }: { badge: BadgeView; eventName: string }) {
  return (
    <View style={styles.badge}>
      <Text style={styles.header}>{eventName}</Text>
      <View style={styles.middle}>
        <View style={styles.text}>
          <Lines text={badge.name} style={styles.name} />
          {badge.company ? <Lines text={badge.company} style={styles.company} box={{ marginTop: 6 }} /> : null}
        </View>
        <View style={styles.qr}>
          <Image style={styles.qrImage} src={{ data: badge.qrPng, format: "png" }} />
          <Text style={styles.shortCode}>{badge.shortCode}</Text>
        </View>
      </View>
      <View style={[styles.band, { backgroundColor: badge.band.background }]}>
        <Lines text={badge.ticketType} style={{ ...styles.type, color: badge.band.foreground }} />
      </View>
    </View>
  );
}

/** Short grey lines in the sheet's margins, in line with every edge between badges. */
function CutMarks() {
  const right = SHEET.left + SHEET.columns * BADGE.width;
  const bottom = SHEET.top + SHEET.rows * BADGE.height;
  const xs = Array.from({ length: SHEET.columns + 1 }, (_, i) => SHEET.left + i * BADGE.width);
  const ys = Array.from({ length: SHEET.rows + 1 }, (_, i) => SHEET.top + i * BADGE.height);
  const mark = (left: number, top: number, width: number, height: number, key: string) => (
    <View key={key} style={{ position: "absolute", left, top, width, height, backgroundColor: cutMark }} />
  );
  const side = Math.min(MARK_LENGTH, SHEET.left - 4);
  return (
    <>
      {xs.flatMap((x) => [
        mark(x - 0.25, SHEET.top - MARK_GAP - MARK_LENGTH, 0.5, MARK_LENGTH, `t${x}`),
        mark(x - 0.25, bottom + MARK_GAP, 0.5, MARK_LENGTH, `b${x}`),
      ])}
      {ys.flatMap((y) => [mark(SHEET.left - 2 - side, y - 0.25, side, 0.5, `l${y}`), mark(right + 2, y - 0.25, side, 0.5, `r${y}`)])}
    </>
  );
}

const chunks = <T,>(items: T[], size: number) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

export function BadgesDocument(props: BadgesDocumentProps) {
  const font = { fontFamily: props.fontFamily };
  return (
    <Document title={props.title} author={props.eventName} subject={props.title} language="en-CA">
      {props.layout === "label"
        ? props.badges.map((badge) => (
            <Page key={badge.id} size={[BADGE.width, BADGE.height]} style={font}>
              <Badge badge={badge} eventName={props.eventName} />
            </Page>
          ))
        : chunks(props.badges, BADGES_PER_SHEET).map((sheet, n) => (
            <Page key={n} size="LETTER" style={font}>
              <CutMarks />
              {sheet.map((badge, i) => (
                <View
                  key={badge.id}
                  style={{ position: "absolute", left: SHEET.left + (i % SHEET.columns) * BADGE.width, top: SHEET.top + Math.floor(i / SHEET.columns) * BADGE.height }}
                >
                  <Badge badge={badge} eventName={props.eventName} />
                </View>
              ))}
            </Page>
          ))}
    </Document>
  );
}
