/**
 * A small flowing-text layout on top of pdf-lib: paragraphs that wrap, tables whose cells wrap,
 * and a new page (with the table header repeated) whenever the next block would not fit. The
 * standard fonts need no font files; they cover Latin-1 only, so other characters print as `?`
 * rather than failing the whole document.
 */
import { type PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';

/** A4 in points. */
export const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56; // about 20 mm, inside every office printer's unprintable edge
const FOOTER_SPACE = 24;

export type Colour = ReturnType<typeof rgb>;
export const BLACK = rgb(0, 0, 0);
export const GREY = rgb(0.35, 0.35, 0.35);
export const RED = rgb(0.72, 0, 0);

export type TextStyle = { size?: number; bold?: boolean; colour?: Colour; gapAfter?: number };
export type Column = { header: string; width: number };

export type Layout = Awaited<ReturnType<typeof createLayout>>;

export const createLayout = async (doc: PDFDocument, footerLabel: string) => {
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const printable = new Set(regular.getCharacterSet());
  const width = A4[0] - 2 * MARGIN;
  let page: PDFPage = doc.addPage(A4);
  let y = A4[1] - MARGIN;

  const clean = (text: string): string =>
    [...text.normalize('NFC').replace(/\t/g, ' ')]
      .map((c) => (printable.has(c.codePointAt(0) ?? 0) ? c : '?'))
      .join('');

  const fontOf = (style: TextStyle): PDFFont => (style.bold ? bold : regular);
  const lineHeight = (size: number) => size * 1.35;

  /** Breaks text into lines no wider than `maxWidth`; a word longer than a line is split. */
  const wrap = (text: string, font: PDFFont, size: number, maxWidth: number): string[] => {
    const lines: string[] = [];
    for (const paragraph of clean(text).split('\n')) {
      let line = '';
      for (const word of paragraph.split(/ +/).filter(Boolean)) {
        const candidate = line ? `${line} ${word}` : word;
        if (font.widthOfTextAtSize(candidate, size) <= maxWidth) {
          line = candidate;
          continue;
        }
        if (line) lines.push(line);
        line = '';
        let rest = word;
        while (font.widthOfTextAtSize(rest, size) > maxWidth) {
          let cut = rest.length - 1;
          while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > maxWidth) cut--;
          lines.push(rest.slice(0, cut));
          rest = rest.slice(cut);
        }
        line = rest;
      }
      lines.push(line);
    }
    return lines;
  };

  const newPage = () => {
    page = doc.addPage(A4);
    y = A4[1] - MARGIN;
  };

  /** Starts a new page unless `height` more points fit above the footer. */
  const ensure = (height: number) => {
    if (y - height < MARGIN + FOOTER_SPACE) newPage();
  };

  const draw = (text: string, x: number, style: TextStyle) => {
    const size = style.size ?? 11;
    page.drawText(text, { x, y: y - size, size, font: fontOf(style), color: style.colour ?? BLACK });
  };

  return {
    width,
    left: MARGIN,

    paragraph(text: string, style: TextStyle = {}, indent = 0) {
      const size = style.size ?? 11;
      for (const line of wrap(text, fontOf(style), size, width - indent)) {
        ensure(lineHeight(size));
        draw(line, MARGIN + indent, style);
        y -= lineHeight(size);
      }
      y -= style.gapAfter ?? 6;
    },

    /** Text set against the right margin, e.g. the date on a letter. */
    right(text: string, style: TextStyle = {}) {
      const size = style.size ?? 11;
      const line = clean(text);
      ensure(lineHeight(size));
      draw(line, MARGIN + width - fontOf(style).widthOfTextAtSize(line, size), style);
      y -= lineHeight(size) + (style.gapAfter ?? 0);
    },

    space(points: number) {
      y -= points;
    },

    rule() {
      ensure(8);
      page.drawLine({
        start: { x: MARGIN, y: y - 2 },
        end: { x: MARGIN + width, y: y - 2 },
        thickness: 0.6,
        color: GREY,
      });
      y -= 10;
    },

    /** Bold lines inside a ruled box, for what must not be missed (e.g. a renewal overlap). */
    alert(lines: readonly string[], colour: Colour = RED) {
      const size = 12;
      const wrapped = lines.flatMap((line) => wrap(line, bold, size, width - 16));
      const height = wrapped.length * lineHeight(size) + 12;
      ensure(height + 6);
      page.drawRectangle({ x: MARGIN, y: y - height, width, height, borderColor: colour, borderWidth: 2 });
      y -= 6;
      for (const line of wrapped) {
        draw(line, MARGIN + 8, { bold: true, size, colour });
        y -= lineHeight(size);
      }
      y -= 12;
    },

    /** Rows of wrapped cells; a row never splits across pages and each page repeats the header. */
    table(columns: readonly Column[], rows: readonly (readonly string[])[], size = 10) {
      const total = columns.reduce((sum, c) => sum + c.width, 0);
      const widths = columns.map((c) => (c.width / total) * width);
      const row = (cells: readonly string[], style: TextStyle) => {
        const wrapped = cells.map((cell, i) => wrap(cell, fontOf(style), size, (widths[i] ?? 0) - 6));
        return { wrapped, height: Math.max(...wrapped.map((l) => l.length)) * lineHeight(size) + 4 };
      };
      const drawRow = ({ wrapped, height }: ReturnType<typeof row>, style: TextStyle) => {
        let x = MARGIN;
        const top = y;
        wrapped.forEach((lines, i) => {
          y = top;
          for (const line of lines) {
            draw(line, x, { ...style, size });
            y -= lineHeight(size);
          }
          x += widths[i] ?? 0;
        });
        y = top - height;
      };
      const header = row(
        columns.map((c) => c.header),
        { bold: true },
      );
      const drawHeader = () => {
        drawRow(header, { bold: true });
        page.drawLine({
          start: { x: MARGIN, y: y + 2 },
          end: { x: MARGIN + width, y: y + 2 },
          thickness: 0.6,
          color: GREY,
        });
        y -= 4;
      };
      ensure(header.height + 4 + lineHeight(size) + 4);
      drawHeader();
      for (const cells of rows) {
        const measured = row(cells, {});
        if (y - measured.height < MARGIN + FOOTER_SPACE) {
          newPage();
          drawHeader();
        }
        drawRow(measured, {});
      }
      y -= 8;
    },

    /** Numbers every page once the content is final: "Page 2 of 3". */
    finish() {
      const pages = doc.getPages();
      pages.forEach((p, i) => {
        const text = clean(`${footerLabel} - page ${i + 1} of ${pages.length}`);
        p.drawText(text, { x: MARGIN, y: MARGIN / 2, size: 8, font: regular, color: GREY });
      });
    },
  };
};

/** A date as a UK reader expects it, in the UK's zone: 21 November 2026. */
export const ukDate = (at: Date | string): string =>
  new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/London',
  }).format(new Date(at));

/** Date and time in the UK's zone, with the zone named: 21 Nov 2026, 14:05 GMT. */
export const ukDateTime = (at: Date | string): string =>
  new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/London',
    timeZoneName: 'short',
  }).format(new Date(at));

/** A date of birth given as `YYYY-MM-DD` is a calendar date, not an instant: no zone shift. */
export const birthDate = (isoDate: string): string => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return isoDate;
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${isoDate}T00:00:00Z`));
};
