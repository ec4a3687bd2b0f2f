import type MarkdownIt from 'markdown-it';
import type sanitizeHtml from 'sanitize-html';
import { lazyRequire } from './lazy-require.js';

// Raw HTML in markdown is shown as text, never interpreted; links are limited to safe schemes.
const requireSanitizer = lazyRequire<typeof sanitizeHtml>('sanitize-html');
const requireMarkdownIt = lazyRequire<typeof MarkdownIt>('markdown-it');
let parser: MarkdownIt | undefined;

/** The markdown parser (raw HTML as text, links found in plain text), made on first use. */
export const markdown = (): MarkdownIt => (parser ??= new (requireMarkdownIt())({ html: false, linkify: true, breaks: true }));

/** sanitize-html, loaded on first use (it is not needed to start the server). */
export const sanitizer = (): typeof sanitizeHtml => requireSanitizer();

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'hr',
    'strong',
    'em',
    's',
    'del',
    'code',
    'pre',
    'blockquote',
    'ul',
    'ol',
    'li',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'a',
    'img',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'title'], th: ['style'], td: ['style'], ol: ['start'] },
  allowedStyles: { '*': { 'text-align': [/^(left|right|center)$/] } },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https', 'data'] },
  allowProtocolRelative: false,
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' } }),
  },
};

/** Renders markdown (links, images, formatting) to HTML that is safe to insert into a page. */
export function renderMarkdown(text: string): string {
  return sanitizer()(markdown().render(text), {
    ...SANITIZE_OPTIONS,
    allowedAttributes: { ...SANITIZE_OPTIONS.allowedAttributes, a: ['href', 'title', 'rel', 'target'] },
  });
}

/** Sanitizes HTML from elsewhere (Sentinel playbooks put HTML in comments and task descriptions). */
export function sanitizeForDisplay(html: string): string {
  return sanitizer()(html, SANITIZE_OPTIONS);
}

const HTML_TAG =
  /<\/?(p|br|b|i|u|strong|em|ul|ol|li|a|h[1-6]|div|span|table|thead|tbody|tr|td|th|img|code|pre|blockquote|hr)\b[^>]*>/i;

/** Whether text is HTML (as Sentinel's playbooks write comments and task descriptions) rather than markdown. */
export function looksLikeHtml(text: string): boolean {
  return HTML_TAG.test(text);
}

/**
 * Renders text that is either markdown or HTML — Sentinel's playbooks write task descriptions in
 * HTML — to HTML that is safe to insert into a page.
 */
export function renderRichText(text: string): string {
  return HTML_TAG.test(text) ? sanitizer()(text, RICH_HTML_OPTIONS) : renderMarkdown(text);
}

const RICH_HTML_OPTIONS: sanitizeHtml.IOptions = {
  ...SANITIZE_OPTIONS,
  allowedTags: [...(SANITIZE_OPTIONS.allowedTags as string[]), 'div', 'span', 'b', 'i', 'u'],
  transformTags: SANITIZE_OPTIONS.transformTags,
  allowedAttributes: { ...SANITIZE_OPTIONS.allowedAttributes, a: ['href', 'title', 'rel', 'target'] },
};

/** Removes terminal control sequences so stored text printed by the CLI cannot drive the terminal. */
export function stripControlCharacters(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}
