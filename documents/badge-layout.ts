// The measures of a name badge, in points (72 to the inch), read by the template that draws it
// and by the domain that fits names into its boxes (app/domain/badges.server.ts).

/** A 4 × 3 in insert, landscape: the size of common badge holders and of door label printers' labels. */
export const BADGE = { width: 288, height: 216 } as const;

/**
 * Badge insert stock with six 4 × 3 in badges on a US letter sheet, two across and three down,
 * edge to edge, inside margins of 1/4 in at the sides and 1 in at the top and bottom (Avery 5392
 * and the sheets sold as compatible with it).
 */
export const SHEET = { width: 612, height: 792, columns: 2, rows: 3, left: 18, top: 72 } as const;
export const BADGES_PER_SHEET = SHEET.columns * SHEET.rows;

export const PADDING = { x: 14, top: 14 } as const;
export const HEADER_HEIGHT = 14;
export const BAND_HEIGHT = 36;
/** About an inch: phones at a booth read it from a hand's length away. */
export const QR_SIZE = 76;
export const COLUMN_GAP = 12;

/** The text column beside the QR code. */
export const TEXT_WIDTH = BADGE.width - 2 * PADDING.x - QR_SIZE - COLUMN_GAP;

/** The name: large on one line, else on two; as tall as two lines of its largest two-line size. */
export const NAME_BOX = { width: TEXT_WIDTH, height: 2 * 20 * 1.15, lineHeight: 1.15, oneLine: [26, 24, 22, 20], twoLines: [20, 18, 16, 14, 13, 12] };
/** The company: below the name, smaller; room for three lines of 10 pt before it gets smaller still. */
export const COMPANY_BOX = { width: TEXT_WIDTH, height: 3 * 10 * 1.2, lineHeight: 1.2, oneLine: [13, 12, 11], twoLines: [12, 11, 10] };
/** The ticket type, written on its colour band. */
export const TYPE_BOX = { width: BADGE.width - 2 * PADDING.x, height: BAND_HEIGHT - 8, lineHeight: 1.15, oneLine: [13, 12, 11, 10], twoLines: [10, 9] };
