import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as fontkit from 'fontkit';

/** The text styles documents use; each maps to a chain of fonts tried in order for every character. */
export type FontStyle = 'regular' | 'bold' | 'italic' | 'boldItalic' | 'mono';

/** A font file (or one of PDF's built-in fonts) and which characters it can draw. */
interface FontFace {
  /** The name documents register it under. */
  name: string;
  /** The font file, read once; undefined for PDF's built-in fonts. */
  data(): Buffer | undefined;
  covers(codePoint: number): boolean;
}

/** A stretch of text drawn with one font. */
export interface FontRun {
  text: string;
  font: string;
  /** The font file to register before drawing with it (undefined: a PDF built-in font). */
  data: Buffer | undefined;
}

const require = createRequire(import.meta.url);

/** A font file shipped by an npm package (its `fonts/` folder beside `dist/`). */
function packagedFont(pkg: string, file: string): FontFace {
  let buffer: Buffer | undefined;
  let font: fontkit.Font | undefined;
  const load = () => {
    buffer ??= fs.readFileSync(path.join(path.dirname(require.resolve(pkg)), '..', 'fonts', file));
    font ??= fontkit.create(buffer) as fontkit.Font;
    return { buffer, font };
  };
  return {
    name: file.replace(/\.\w+$/, ''),
    data: () => load().buffer,
    covers: (codePoint) => load().font.hasGlyphForCodePoint(codePoint),
  };
}

// Noto Sans: Latin (with every accent), Greek and Cyrillic. Noto Sans Hans: Chinese and Japanese
// (kana), plus symbols Noto Sans lacks. Noto Sans KR: Korean (Hangul). Each is loaded only when a
// document needs it.
const LATIN = '@embedpdf/fonts-latin';
const CJK = '@embedpdf/fonts-sc';
const KOREAN = '@embedpdf/fonts-kr';
const notoRegular = packagedFont(LATIN, 'NotoSans-Regular.ttf');
const notoBold = packagedFont(LATIN, 'NotoSans-Bold.ttf');
const cjkRegular = packagedFont(CJK, 'NotoSansHans-Regular.otf');
const cjkBold = packagedFont(CJK, 'NotoSansHans-Bold.otf');
const koreanRegular = packagedFont(KOREAN, 'NotoSansKR-Regular.otf');
const koreanBold = packagedFont(KOREAN, 'NotoSansKR-Bold.otf');

/** Courier, built into every PDF reader: printable ASCII and Latin-1 only (its WinAnsi encoding). */
const courier: FontFace = {
  name: 'Courier',
  data: () => undefined,
  covers: (cp) => (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff),
};

const CHAINS: Record<FontStyle, FontFace[]> = {
  regular: [notoRegular, cjkRegular, koreanRegular],
  bold: [notoBold, cjkBold, koreanBold],
  italic: [packagedFont(LATIN, 'NotoSans-Italic.ttf'), cjkRegular, koreanRegular],
  boldItalic: [packagedFont(LATIN, 'NotoSans-BoldItalic.ttf'), cjkBold, koreanBold],
  mono: [courier, notoRegular, cjkRegular, koreanRegular],
};

// Which face of a chain draws a character, remembered per style (documents repeat the same characters).
const choices: Record<FontStyle, Map<number, FontFace>> = {
  regular: new Map(),
  bold: new Map(),
  italic: new Map(),
  boldItalic: new Map(),
  mono: new Map(),
};

function faceFor(style: FontStyle, codePoint: number): FontFace {
  const known = choices[style].get(codePoint);
  if (known) return known;
  const chain = CHAINS[style];
  // A character no font has is drawn with the first one (as its "missing glyph" box), never dropped.
  const face = chain.find((f) => f.covers(codePoint)) ?? chain[0]!;
  choices[style].set(codePoint, face);
  return face;
}

const SPACE = /\s/;

/**
 * Splits text into runs that one font each can draw: PDF fonts have no fallback, so a line mixing
 * Latin, Cyrillic and Chinese switches fonts between runs. Spaces stay with the run they follow.
 */
export function fontRuns(text: string, style: FontStyle): FontRun[] {
  const runs: FontRun[] = [];
  let run: FontRun | undefined;
  let face: FontFace | undefined;
  for (const char of text) {
    const next = face && SPACE.test(char) ? face : faceFor(style, char.codePointAt(0)!);
    if (run && next === face) run.text += char;
    else {
      face = next;
      run = { text: char, font: next.name, data: next.data() };
      runs.push(run);
    }
  }
  return runs;
}
