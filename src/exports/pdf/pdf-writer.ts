import PDFDocument from 'pdfkit';
import type { TextBlock, TextRun } from '../../common/markdown-text.js';
import { createTextEngine, type TextLine, type TextLook } from './pdf-text.js';

/** The palette and sizes every page uses. */
export const THEME = {
  ink: '#1f2937',
  muted: '#6b7280',
  accent: '#1e3a5f',
  rule: '#d1d5db',
  headerFill: '#eef2f7',
  stripe: '#f7f9fb',
  codeFill: '#f3f4f6',
  body: 10,
  small: 8.5,
} as const;

/** A table column: its heading and its share of the width. */
export interface Column {
  header: string;
  weight: number;
}

/** A table cell: plain text or styled runs. */
export type Cell = string | TextRun[];

/** What the document says about itself, and the lines printed on every page. */
export interface PdfMeta {
  title: string;
  subject: string;
  author: string;
  createdAt: Date;
  /** Printed at the top of every page after the first. */
  runningHeader: string;
  /** Printed at the bottom left of every page (the page number is at the right). */
  footer: string;
}

/** The finished file. */
export interface PdfFile {
  content: Buffer;
  pageCount: number;
}

const MARGIN = { left: 50, right: 50, top: 60, bottom: 58 };
const LINE = 1.38;
const MAX_CELL_LINES = 30;

/**
 * A flowing A4 document: blocks of text, key/value lines and tables are placed one under the
 * other, starting new pages as needed (table headings repeat); page numbers ("Page N of M") and
 * running headers are added once the page count is known.
 */
export function createPdfWriter(meta: PdfMeta) {
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    displayTitle: true,
    lang: 'en',
    info: { Title: meta.title, Subject: meta.subject, Author: meta.author, Creator: 'Vigil', CreationDate: meta.createdAt },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  const text = createTextEngine(doc);
  const left = MARGIN.left;
  const width = doc.page.width - MARGIN.left - MARGIN.right;
  const bottom = doc.page.height - MARGIN.bottom;
  let y = MARGIN.top;

  const lineHeight = (size: number) => size * LINE;
  const baselineOf = (top: number, size: number) => top + size * 1.06;

  function newPage(): void {
    doc.addPage();
    y = MARGIN.top;
  }

  /** Starts a new page unless `height` more fits on this one. */
  function ensure(height: number): void {
    if (y + height > bottom && y > MARGIN.top) newPage();
  }

  /** Draws laid-out lines from the current position, breaking pages between lines. */
  function flow(lines: TextLine[], x: number, options: { fill?: string } = {}): void {
    for (const line of lines) {
      const h = lineHeight(line.size);
      ensure(h);
      if (options.fill) doc.rect(x - 4, y, width - (x - left) + 4, h).fill(options.fill);
      text.draw(line, x, baselineOf(y, line.size));
      y += h;
    }
  }

  function paragraph(runs: TextRun[] | string, look: Partial<TextLook> & { indent?: number; after?: number } = {}): void {
    const size = look.size ?? THEME.body;
    const indent = look.indent ?? 0;
    flow(text.layout(runs, width - indent, { size, color: look.color ?? THEME.ink, style: look.style }), left + indent);
    y += look.after ?? 4;
  }

  /** A section's title, kept with at least a few lines of what follows. */
  function sectionTitle(title: string): void {
    ensure(120);
    if (y > MARGIN.top) y += 10;
    const lines = text.layout(title, width, { size: 15, color: THEME.accent, style: 'bold' });
    flow(lines, left);
    doc
      .moveTo(left, y + 2)
      .lineTo(left + width, y + 2)
      .lineWidth(1.2)
      .strokeColor(THEME.accent)
      .stroke();
    y += 10;
  }

  function subheading(title: string): void {
    ensure(60);
    y += 6;
    flow(text.layout(title, width, { size: 11.5, color: THEME.ink, style: 'bold' }), left);
    y += 3;
  }

  /** Greyed explanatory text (limits applied, empty sections). */
  function note(message: string): void {
    paragraph(message, { size: THEME.small, color: THEME.muted, style: 'italic' });
  }

  /** Aligned "label  value" lines. */
  function keyValues(rows: [label: string, value: Cell][], labelWidth = 125): void {
    const valueWidth = width - labelWidth;
    for (const [label, value] of rows) {
      const labelLines = text.layout(label, labelWidth - 10, { size: 9, color: THEME.muted, style: 'bold' });
      const valueLines = text.layout(isEmpty(value) ? '—' : value, valueWidth, { size: THEME.body, color: THEME.ink });
      const height = Math.max(labelLines.length * lineHeight(9), valueLines.length * lineHeight(THEME.body));
      ensure(Math.min(height, lineHeight(THEME.body) * 3));
      const top = y;
      labelLines.forEach((line, i) => text.draw(line, left, baselineOf(top, THEME.body) + i * lineHeight(9)));
      flow(valueLines, left + labelWidth);
      y = Math.max(y, top + labelLines.length * lineHeight(9)) + 3;
    }
  }

  /** A table with a shaded heading row (repeated on each page) and striped rows. */
  function table(columns: Column[], rows: Cell[][]): void {
    const pad = 4;
    const size = THEME.small;
    const total = columns.reduce((sum, c) => sum + c.weight, 0);
    const widths = columns.map((c) => (c.weight / total) * width);
    const xs = widths.map((_, i) => left + widths.slice(0, i).reduce((a, b) => a + b, 0));
    const layoutRow = (cells: Cell[], style?: 'bold') =>
      cells.map((cell, i) => text.layout(cell, widths[i]! - 2 * pad, { size, color: THEME.ink, style }).slice(0, MAX_CELL_LINES));
    const drawRow = (cellLines: TextLine[][], fill?: string) => {
      const height = Math.max(1, ...cellLines.map((l) => l.length)) * lineHeight(size) + 2 * pad;
      if (fill) doc.rect(left, y, width, height).fill(fill);
      cellLines.forEach((lines, i) =>
        lines.forEach((line, j) => text.draw(line, xs[i]! + pad, baselineOf(y + pad + j * lineHeight(size), size))),
      );
      y += height;
    };
    const heading = layoutRow(
      columns.map((c) => c.header),
      'bold',
    );
    const headingHeight = Math.max(...heading.map((l) => l.length)) * lineHeight(size) + 2 * pad;
    ensure(headingHeight + lineHeight(size) * 2 + 2 * pad);
    drawRow(heading, THEME.headerFill);
    rows.forEach((cells, index) => {
      const cellLines = layoutRow(cells);
      const height = Math.max(1, ...cellLines.map((l) => l.length)) * lineHeight(size) + 2 * pad;
      if (y + height > bottom) {
        newPage();
        drawRow(heading, THEME.headerFill);
      }
      drawRow(cellLines, index % 2 === 1 ? THEME.stripe : undefined);
    });
    doc
      .moveTo(left, y)
      .lineTo(left + width, y)
      .lineWidth(0.5)
      .strokeColor(THEME.rule)
      .stroke();
    y += 8;
  }

  /** Markdown rendered as styled text: headings, lists with markers, code on a shaded background, quotes. */
  function blocks(items: TextBlock[], indent = 0): void {
    for (const block of items) {
      const x = indent + Math.max(0, block.depth - 1) * 14 + (block.depth > 0 ? 14 : 0) + (block.quote ? 10 : 0);
      const color = block.quote ? THEME.muted : THEME.ink;
      if (block.kind === 'rule') {
        ensure(10);
        doc
          .moveTo(left + x, y + 4)
          .lineTo(left + width, y + 4)
          .lineWidth(0.5)
          .strokeColor(THEME.rule)
          .stroke();
        y += 10;
        continue;
      }
      if (block.kind === 'code') {
        const lines = text.layout(block.runs, width - x - 8, { size: THEME.small, color, preformatted: true });
        flow(lines, left + x + 4, { fill: THEME.codeFill });
        y += 4;
        continue;
      }
      const size = block.kind === 'heading' ? Math.max(THEME.body, 13 - (block.level ?? 1)) : THEME.body;
      const lines = text.layout(block.runs, width - x, { size, color, style: block.kind === 'heading' ? 'bold' : undefined });
      if (block.marker) {
        ensure(lineHeight(size));
        const marker = text.layout(block.marker, 14, { size, color: THEME.muted });
        text.draw(marker[0]!, left + x - 14, baselineOf(y, size));
      }
      const top = y;
      flow(lines, left + x);
      if (block.quote) doc.rect(left + x - 8, top, 2, y - top).fill(THEME.rule);
      y += block.marker ? 1 : 4;
    }
  }

  /** Adds the running header and "Page N of M" footer to every page and returns the file. */
  async function finish(): Promise<PdfFile> {
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      const footerTop = doc.page.height - MARGIN.bottom + 18;
      doc
        .moveTo(left, footerTop - 6)
        .lineTo(left + width, footerTop - 6)
        .lineWidth(0.5)
        .strokeColor(THEME.rule)
        .stroke();
      const footer = text.layout(meta.footer, width * 0.7, { size: 7.5, color: THEME.muted })[0];
      if (footer) text.draw(footer, left, baselineOf(footerTop, 7.5));
      const pageLabel = text.layout(`Page ${i + 1} of ${range.count}`, 120, { size: 7.5, color: THEME.muted })[0]!;
      text.draw(pageLabel, left + width - pageLabel.width, baselineOf(footerTop, 7.5));
      if (i > range.start) {
        const header = text.layout(meta.runningHeader, width, { size: 7.5, color: THEME.muted })[0];
        if (header) text.draw(header, left, baselineOf(MARGIN.top - 30, 7.5));
        doc
          .moveTo(left, MARGIN.top - 14)
          .lineTo(left + width, MARGIN.top - 14)
          .lineWidth(0.5)
          .strokeColor(THEME.rule)
          .stroke();
      }
    }
    doc.end();
    await ended;
    return { content: Buffer.concat(chunks), pageCount: range.count };
  }

  return {
    doc,
    text,
    left,
    width,
    get y() {
      return y;
    },
    set y(value: number) {
      y = value;
    },
    ensure,
    newPage,
    paragraph,
    sectionTitle,
    subheading,
    note,
    keyValues,
    table,
    blocks,
    finish,
  };
}

/** A document being written (see createPdfWriter). */
export type PdfWriter = ReturnType<typeof createPdfWriter>;

function isEmpty(value: Cell): boolean {
  return typeof value === 'string' ? value.trim() === '' : value.every((run) => run.text.trim() === '');
}
