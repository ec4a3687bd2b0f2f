import type MarkdownIt from 'markdown-it';
import { looksLikeHtml, markdown, sanitizer } from './markdown.js';

/** A stretch of text with one style. Line breaks inside a paragraph are `\n` in the text. */
export interface TextRun {
  text: string;
  bold?: boolean;
  italic?: boolean;
  code?: boolean;
  /** A safe (http, https, mailto) link target; the URL is also spelled out in the text. */
  link?: string;
}

/** A block of styled text: what a document renderer (the PDF export) lays out. */
export interface TextBlock {
  kind: 'paragraph' | 'heading' | 'code' | 'rule';
  runs: TextRun[];
  /** Heading level, 1–6. */
  level?: number;
  /** List nesting depth (0 outside lists). */
  depth: number;
  /** The list item's marker ("•", "3.") on its first paragraph. */
  marker?: string;
  /** Inside a block quote. */
  quote?: boolean;
}

type Token = ReturnType<MarkdownIt['parse']>[number];

// Raw HTML is never interpreted (html: false); linkify spells out bare URLs as links.
const SAFE_LINK = /^(https?:|mailto:)/i;

/**
 * Turns a comment or description — markdown, or HTML as Sentinel's playbooks write it — into
 * styled blocks of plain text: headings, paragraphs, list items with their markers, code, quotes.
 * Links become "text (url)"; images "[image: alt] (url)". Nothing is ever interpreted as markup
 * by the consumer, so hostile input can only ever come out as text.
 */
export function markdownToBlocks(text: string): TextBlock[] {
  const source = looksLikeHtml(text) ? htmlToMarkdown(text) : text;
  return blocksOf(markdown().parse(source, {}));
}

interface ListState {
  ordered: boolean;
  next: number;
}

function blocksOf(tokens: Token[]): TextBlock[] {
  const blocks: TextBlock[] = [];
  const lists: ListState[] = [];
  let quoteDepth = 0;
  let pendingMarker: string | undefined;
  let heading: number | undefined;
  let row: TextRun[] | undefined;
  const context = () => ({ depth: lists.length, ...(quoteDepth > 0 ? { quote: true } : {}) });
  const push = (block: Omit<TextBlock, 'depth'>) => {
    const marker = pendingMarker;
    pendingMarker = undefined;
    blocks.push({ ...block, ...context(), ...(marker ? { marker } : {}) });
  };

  for (const token of tokens) {
    switch (token.type) {
      case 'heading_open':
        heading = Number(token.tag.slice(1));
        break;
      case 'heading_close':
        heading = undefined;
        break;
      case 'bullet_list_open':
      case 'ordered_list_open':
        lists.push({ ordered: token.type === 'ordered_list_open', next: Number(token.attrGet('start') ?? 1) });
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        break;
      case 'list_item_open': {
        const list = lists[lists.length - 1];
        pendingMarker = list?.ordered ? `${list.next++}.` : '•';
        break;
      }
      case 'blockquote_open':
        quoteDepth += 1;
        break;
      case 'blockquote_close':
        quoteDepth -= 1;
        break;
      case 'tr_open':
        row = [];
        break;
      case 'tr_close':
        if (row?.length) push({ kind: 'paragraph', runs: row });
        row = undefined;
        break;
      case 'inline': {
        const runs = inlineRuns(token.children ?? []);
        if (row) {
          if (row.length) row.push({ text: ' | ' });
          row.push(...runs);
        } else if (heading) push({ kind: 'heading', level: heading, runs });
        else push({ kind: 'paragraph', runs });
        break;
      }
      case 'fence':
      case 'code_block':
        push({ kind: 'code', runs: [{ text: token.content.replace(/\n$/, ''), code: true }] });
        break;
      case 'hr':
        push({ kind: 'rule', runs: [] });
        break;
    }
  }
  return blocks;
}

function inlineRuns(children: Token[]): TextRun[] {
  const runs: TextRun[] = [];
  let bold = 0;
  let italic = 0;
  const links: { href: string; textStart: number }[] = [];
  const add = (text: string, extra: Partial<TextRun> = {}) => {
    if (!text) return;
    const link = links[links.length - 1]?.href;
    runs.push({
      text,
      ...(bold ? { bold: true } : {}),
      ...(italic ? { italic: true } : {}),
      ...(link && SAFE_LINK.test(link) ? { link } : {}),
      ...extra,
    });
  };
  for (const child of children) {
    switch (child.type) {
      case 'text':
        add(child.content);
        break;
      case 'softbreak':
      case 'hardbreak':
        add('\n');
        break;
      case 'code_inline':
        add(child.content, { code: true });
        break;
      case 'strong_open':
        bold += 1;
        break;
      case 'strong_close':
        bold -= 1;
        break;
      case 'em_open':
        italic += 1;
        break;
      case 'em_close':
        italic -= 1;
        break;
      case 'link_open':
        links.push({ href: child.attrGet('href') ?? '', textStart: runs.length });
        break;
      case 'link_close': {
        const link = links.pop();
        if (!link) break;
        const shown = runs
          .slice(link.textStart)
          .map((r) => r.text)
          .join('');
        // A bare URL (linkify, <https://…>) is already spelled out; mailto: shows the address.
        if (shown !== link.href && `mailto:${shown}` !== link.href) {
          add(` (${link.href})`, SAFE_LINK.test(link.href) ? { link: link.href } : {});
        }
        break;
      }
      case 'image': {
        const src = child.attrGet('src') ?? '';
        add(`[image${child.content ? `: ${child.content}` : ''}]${src ? ` (${src})` : ''}`);
        break;
      }
    }
  }
  return runs;
}

/** Sanitized HTML's structure as markdown; every other tag is dropped, entities stay for markdown to decode. */
function htmlToMarkdown(html: string): string {
  const safe = sanitizer()(html, {
    allowedTags: ['b', 'strong', 'i', 'em', 'a', 'code', 'pre', 'br', 'p', 'div', 'li', 'h1', 'h2', 'h3', 'h4', 'tr', 'td', 'th'],
    allowedAttributes: { a: ['href'] },
    allowedSchemes: ['http', 'https', 'mailto'],
  });
  return safe
    .replace(/<br\s*\/?>/g, '  \n')
    .replace(/<h([1-4])>/g, (_, level: string) => `\n\n${'#'.repeat(Number(level))} `)
    .replace(/<li>/g, '\n- ')
    .replace(/<\/(p|div|h[1-4]|tr)>/g, '\n\n')
    .replace(/<\/t[dh]>/g, ' | ')
    .replace(/<\/?(b|strong)>/g, '**')
    .replace(/<\/?(i|em)>/g, '*')
    .replace(/<\/?code>/g, '`')
    .replace(
      /<a href="([^"]*)">([\s\S]*?)<\/a>/g,
      (_, href: string, label: string) => `[${label}](${href.replace(/[\s()<>]/g, encodeURIComponent)})`,
    )
    .replace(/<[^>]*>/g, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
