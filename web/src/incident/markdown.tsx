import type { ReactNode } from 'react';

// A small markdown renderer for the comment preview and the incident description. It builds React
// elements (never an HTML string), so text is always escaped; links and images keep only safe URLs.

const LINK_SCHEMES = ['http:', 'https:', 'mailto:'];
const IMAGE_SCHEMES = ['http:', 'https:'];

/** The URL if it is absolute with one of the schemes, else null (javascript:, data: … are refused). */
function safeUrl(raw: string, schemes: string[]): string | null {
  try {
    const url = new URL(raw);
    return schemes.includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

const INLINE =
  /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)|!\[([^\]]*)\]\(([^)\s]+)\)|\[([^\]]+)\]\(([^)\s]+)\)|\*\*([\s\S]+?)\*\*|__([\s\S]+?)__|~~([\s\S]+?)~~|\*([^*\s](?:[^*]*[^*\s])?)\*|(?<![\w])_([^_\s](?:[^_]*[^_\s])?)_(?![\w])|(https?:\/\/[^\s<>()]*[^\s<>().,;:!?'"])/g;

/** Inline markdown: `code`, **bold**, *italic*, ~~strike~~, [links](https://…), ![images](https://…), bare URLs. */
export function renderInline(text: string, keyPrefix = 'i'): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  let n = 0;
  for (const match of text.matchAll(INLINE)) {
    const index = match.index ?? 0;
    if (index > last) out.push(text.slice(last, index));
    const key = `${keyPrefix}-${n++}`;
    const [whole, , code, alt, imageUrl, linkText, linkUrl, bold1, bold2, strike, italic1, italic2, bare] = match;
    if (code !== undefined) out.push(<code key={key}>{code}</code>);
    else if (imageUrl !== undefined) {
      const src = safeUrl(imageUrl, IMAGE_SCHEMES);
      out.push(src ? <img key={key} src={src} alt={alt ?? ''} loading="lazy" /> : whole);
    } else if (linkUrl !== undefined) {
      const href = safeUrl(linkUrl, LINK_SCHEMES);
      out.push(
        href ? (
          <a key={key} href={href} target="_blank" rel="noopener noreferrer nofollow">
            {renderInline(linkText ?? '', key)}
          </a>
        ) : (
          whole
        ),
      );
    } else if (bold1 !== undefined || bold2 !== undefined)
      out.push(<strong key={key}>{renderInline(bold1 ?? bold2 ?? '', key)}</strong>);
    else if (strike !== undefined) out.push(<del key={key}>{renderInline(strike, key)}</del>);
    else if (italic1 !== undefined || italic2 !== undefined)
      out.push(<em key={key}>{renderInline(italic1 ?? italic2 ?? '', key)}</em>);
    else if (bare !== undefined) {
      const href = safeUrl(bare, LINK_SCHEMES);
      out.push(
        href ? (
          <a key={key} href={href} target="_blank" rel="noopener noreferrer nofollow">
            {bare}
          </a>
        ) : (
          bare
        ),
      );
    }
    last = index + whole.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** Lines of a paragraph, joined with line breaks (as the server renders comments: breaks on). */
function withBreaks(lines: string[], key: string): ReactNode[] {
  return lines.flatMap((line, i) =>
    i === 0 ? renderInline(line, `${key}-${i}`) : [<br key={`${key}-br-${i}`} />, ...renderInline(line, `${key}-${i}`)],
  );
}

const LIST_ITEM = /^\s*(?:([-*+])|(\d+)[.)])\s+(.*)$/;
const HEADING = /^(#{1,6})\s+(.*)$/;

/** Block markdown: paragraphs, headings, lists, quotes and fenced code, each line's inline markdown. */
export function renderBlocks(text: string): ReactNode[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: ReactNode[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const key = `b${i}`;
    if (line.trim() === '') {
      i++;
    } else if (line.startsWith('```')) {
      const code: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.startsWith('```')) code.push(lines[i++]!);
      i++;
      blocks.push(
        <pre key={key}>
          <code>{code.join('\n')}</code>
        </pre>,
      );
    } else if (HEADING.test(line)) {
      const [, hashes, title] = HEADING.exec(line)!;
      const level = Math.min(6, hashes!.length + 2);
      const Tag = `h${level}` as 'h3';
      blocks.push(<Tag key={key}>{renderInline(title!, key)}</Tag>);
      i++;
    } else if (line.startsWith('>')) {
      const quoted: string[] = [];
      while (i < lines.length && lines[i]!.startsWith('>')) quoted.push(lines[i++]!.replace(/^>\s?/, ''));
      blocks.push(<blockquote key={key}>{renderBlocks(quoted.join('\n'))}</blockquote>);
    } else if (LIST_ITEM.test(line)) {
      const ordered = LIST_ITEM.exec(line)![2] !== undefined;
      const items: ReactNode[] = [];
      while (i < lines.length && LIST_ITEM.test(lines[i]!)) {
        const [, , , content] = LIST_ITEM.exec(lines[i]!)!;
        items.push(<li key={`${key}-${i}`}>{renderInline(content!, `${key}-${i}`)}</li>);
        i++;
      }
      blocks.push(ordered ? <ol key={key}>{items}</ol> : <ul key={key}>{items}</ul>);
    } else {
      const paragraph: string[] = [];
      while (
        i < lines.length &&
        lines[i]!.trim() !== '' &&
        !lines[i]!.startsWith('```') &&
        !HEADING.test(lines[i]!) &&
        !lines[i]!.startsWith('>') &&
        !LIST_ITEM.test(lines[i]!)
      ) {
        paragraph.push(lines[i++]!);
      }
      blocks.push(<p key={key}>{withBreaks(paragraph, key)}</p>);
    }
  }
  return blocks;
}

/** Markdown text rendered safely as React elements. */
export function Markdown({ text, className = '' }: { text: string; className?: string }) {
  return <div className={`markdown ${className}`.trim()}>{renderBlocks(text)}</div>;
}
