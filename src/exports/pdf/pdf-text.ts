import type PDFDocument from 'pdfkit';
import type { TextRun } from '../../common/markdown-text.js';
import { fontRuns, type FontStyle } from './pdf-fonts.js';

/** How a stretch of text looks, besides its font: size, color and the base style of its runs. */
export interface TextLook {
  size: number;
  color: string;
  style?: FontStyle;
  /** Keep the spaces that start a line (code). */
  preformatted?: boolean;
}

/** Text in one font and color at an offset of its line. */
interface Piece {
  text: string;
  font: string;
  data: Buffer | undefined;
  color: string;
  link?: string;
  x: number;
  width: number;
}

/** One laid-out line of text. */
export interface TextLine {
  pieces: Piece[];
  width: number;
  size: number;
}

/** What text layout needs from a PDF document: measuring and drawing in a font. */
export interface TextEngine {
  /** Breaks styled runs into lines at most `width` wide (words wrap; CJK wraps between characters; long words break). */
  layout(runs: TextRun[] | string, width: number, look: TextLook): TextLine[];
  /** Draws a line with its baseline at `baseline`. */
  draw(line: TextLine, x: number, baseline: number): void;
}

const LINK_COLOR = '#1d4ed8';
const CODE_COLOR = '#7a2e4f';
// A word, a run of spaces, or one CJK character (lines may break between those).
const TOKEN =
  /\s+|[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]+/g;

function styleOf(run: TextRun, base: FontStyle): FontStyle {
  if (run.code) return 'mono';
  const bold = run.bold || base === 'bold' || base === 'boldItalic';
  const italic = run.italic || base === 'italic' || base === 'boldItalic';
  return bold && italic ? 'boldItalic' : bold ? 'bold' : italic ? 'italic' : base;
}

/** The text engine of one PDFKit document: registers fonts as they are first used and caches word widths. */
export function createTextEngine(doc: typeof PDFDocument): TextEngine {
  const registered = new Set<string>();
  const widths = new Map<string, number>();

  function useFont(font: string, data: Buffer | undefined, size: number): void {
    if (data && !registered.has(font)) {
      doc.registerFont(font, data);
      registered.add(font);
    }
    doc.font(font).fontSize(size);
  }

  function measure(text: string, font: string, data: Buffer | undefined, size: number): number {
    const key = `${font}\n${text}`;
    const known = widths.get(key);
    if (known !== undefined) return known * size;
    useFont(font, data, 1);
    const unit = doc.widthOfString(text);
    widths.set(key, unit);
    return unit * size;
  }

  function layout(input: TextRun[] | string, width: number, look: TextLook): TextLine[] {
    const runs = typeof input === 'string' ? [{ text: input }] : input;
    const lines: TextLine[] = [];
    let line: TextLine = { pieces: [], width: 0, size: look.size };
    const finishLine = () => {
      const last = line.pieces[line.pieces.length - 1];
      if (last) {
        const trimmed = last.text.replace(/\s+$/, '');
        if (trimmed.length !== last.text.length) {
          line.width -= last.width;
          last.width = measure(trimmed, last.font, last.data, look.size);
          last.text = trimmed;
          line.width += last.width;
        }
      }
      lines.push(line);
      line = { pieces: [], width: 0, size: look.size };
    };
    const append = (text: string, textWidth: number, template: Omit<Piece, 'text' | 'x' | 'width'>) => {
      const last = line.pieces[line.pieces.length - 1];
      if (last && last.font === template.font && last.color === template.color && last.link === template.link) {
        last.text += text;
        last.width += textWidth;
      } else line.pieces.push({ ...template, text, x: line.width, width: textWidth });
      line.width += textWidth;
    };

    for (const run of runs) {
      const style = styleOf(run, look.style ?? 'regular');
      const color = run.link ? LINK_COLOR : run.code ? CODE_COLOR : look.color;
      run.text.split('\n').forEach((segment, index) => {
        if (index > 0) finishLine();
        for (const part of fontRuns(segment.replace(/\t/g, '    '), style)) {
          const template = { font: part.font, data: part.data, color, ...(run.link ? { link: run.link } : {}) };
          for (const token of part.text.match(TOKEN) ?? []) {
            const tokenWidth = measure(token, part.font, part.data, look.size);
            if (/^\s/.test(token)) {
              if (line.pieces.length || look.preformatted) append(token, tokenWidth, template);
              continue;
            }
            if (line.width + tokenWidth > width && line.pieces.length) finishLine();
            if (tokenWidth <= width) append(token, tokenWidth, template);
            else breakLongWord(token, template);
          }
        }
      });
    }
    if (line.pieces.length || lines.length === 0) finishLine();
    return lines;

    function breakLongWord(token: string, template: Omit<Piece, 'text' | 'x' | 'width'>) {
      let chunk = '';
      for (const char of token) {
        const next = chunk + char;
        if (chunk && line.width + measure(next, template.font, template.data, look.size) > width) {
          append(chunk, measure(chunk, template.font, template.data, look.size), template);
          finishLine();
          chunk = char;
        } else chunk = next;
      }
      if (chunk) append(chunk, measure(chunk, template.font, template.data, look.size), template);
    }
  }

  function draw(line: TextLine, x: number, baseline: number): void {
    for (const piece of line.pieces) {
      if (!piece.text) continue;
      useFont(piece.font, piece.data, line.size);
      doc.fillColor(piece.color).text(piece.text, x + piece.x, baseline, {
        lineBreak: false,
        baseline: 'alphabetic',
        ...(piece.link ? { link: piece.link } : {}),
      });
    }
  }

  return { layout, draw };
}
