import { describe, expect, it } from 'vitest';
import { renderMarkdown, renderRichText, sanitizeForDisplay, stripControlCharacters } from './markdown.js';

/** True when a real tag (not escaped text) carries an event handler attribute. */
const hasHandler = (html: string) => /<[a-z][^>]*\son\w+\s*=/i.test(html);
/** True when a real tag carries a javascript:, vbscript: or data:text URL. */
const hasScriptUrl = (html: string) => /<[a-z][^>]*=\s*["']?\s*(javascript|vbscript|data:text\/html)/i.test(html);

describe('renderMarkdown', () => {
  it('renders formatting, lists, code and tables', () => {
    const html = renderMarkdown('# Title\n\n**bold** _em_ ~~gone~~ `code`\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |');
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<em>em</em>');
    expect(html).toContain('<s>gone</s>');
    expect(html).toContain('<code>code</code>');
    expect(html).toMatch(/<ul>\s*<li>one<\/li>/);
    expect(html).toContain('<table>');
    expect(html).toContain('<td>1</td>');
  });

  it('keeps http(s) and mailto links, opening in a new tab without referrer', () => {
    const html = renderMarkdown('[docs](https://example.com/a?b=1) [mail](mailto:soc@example.com) https://auto.example.com');
    expect(html).toMatch(/<a href="https:\/\/example\.com\/a\?b=1"[^>]*>docs<\/a>/);
    expect(html).toMatch(/<a href="mailto:soc@example\.com"/);
    expect(html).toMatch(/<a href="https:\/\/auto\.example\.com"/);
    expect(html).toMatch(/rel="noopener noreferrer nofollow"/);
    expect(html).toMatch(/target="_blank"/);
  });

  it('keeps images', () => {
    const html = renderMarkdown('![diagram](https://img.example.com/d.png "Flow")');
    expect(html).toMatch(/<img [^>]*src="https:\/\/img\.example\.com\/d\.png"/);
    expect(html).toMatch(/alt="diagram"/);
  });

  it('shows raw HTML as text, never as tags', () => {
    const html = renderMarkdown(
      '<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<iframe src="https://evil"></iframe>',
    );
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<iframe/i);
    expect(html).not.toMatch(/<img/i);
    expect(hasHandler(html)).toBe(false);
    expect(html).toContain('&lt;script&gt;');
  });

  it.each([
    ['[x](javascript:alert(1))'],
    ['[x](JaVaScRiPt:alert(1))'],
    ['[x](java\tscript:alert(1))'],
    ['[x](&#106;avascript:alert(1))'],
    ['[x](vbscript:msgbox(1))'],
    ['[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['![x](javascript:alert(1))'],
    ['<javascript:alert(1)>'],
  ])('never produces a script URL from %s', (source) => {
    const html = renderMarkdown(source);
    expect(hasScriptUrl(html)).toBe(false);
    expect(hasHandler(html)).toBe(false);
  });

  it('does not let attributes escape from a link or image', () => {
    const html = renderMarkdown(
      '[x](https://a.example.com/" onmouseover="alert(1)) ![y](https://b.example.com/i.png" onerror="alert(1))',
    );
    expect(hasHandler(html)).toBe(false);
  });

  it('renders an empty message to an empty string', () => {
    expect(renderMarkdown('')).toBe('');
  });

  it('turns single newlines into line breaks', () => {
    expect(renderMarkdown('line one\nline two')).toMatch(/line one<br \/>\s*line two/);
  });
});

describe('sanitizeForDisplay', () => {
  it('keeps safe formatting and drops scripts, handlers and script URLs from HTML', () => {
    const html = sanitizeForDisplay(
      '<p onclick="x()">Hi <b>there</b> <strong>ok</strong><script>alert(1)</script> <a href="javascript:alert(1)">bad</a> <a href="https://ok.example.com">good</a><img src="x" onerror="alert(1)"></p>',
    );
    expect(html).not.toMatch(/<script/i);
    expect(hasHandler(html)).toBe(false);
    expect(hasScriptUrl(html)).toBe(false);
    expect(html).toContain('<strong>ok</strong>');
    expect(html).toContain('<a href="https://ok.example.com">good</a>');
  });
});

describe('stripControlCharacters', () => {
  it('removes ANSI escape sequences', () => {
    expect(stripControlCharacters('\u001b[31mred\u001b[0m text')).toBe('red text');
    expect(stripControlCharacters('\u001b[2J\u001b[?25lclear')).toBe('clear');
  });

  it('removes C0 and C1 control characters but keeps tabs and newlines', () => {
    expect(stripControlCharacters('a\u0000b\u0007c\u0008d\u007fe\u009bf')).toBe('abcdef');
    expect(stripControlCharacters('tab\there\nnext line')).toBe('tab\there\nnext line');
    expect(stripControlCharacters('carriage\rreturn')).toBe('carriagereturn');
  });

  it('leaves ordinary and non-ASCII text alone', () => {
    const text = 'Incident #12 – Müller’s laptop 🚨 [High]';
    expect(stripControlCharacters(text)).toBe(text);
  });

  it('leaves no ESC character behind for partial sequences', () => {
    expect(stripControlCharacters('before\u001bafter')).not.toContain('\u001b');
    expect(stripControlCharacters('\u001b]0;title\u0007x')).not.toMatch(/[\u001b\u0007]/);
  });
});

describe('renderRichText', () => {
  it('keeps the HTML of Sentinel task descriptions, without scripts or handlers', () => {
    const html = renderRichText(
      '<p>Check the <b>sign-in</b> logs.</p><ul><li>one</li></ul><img src=x onerror=alert(1)><script>alert(1)</script><a href="javascript:alert(1)">x</a>',
    );
    expect(html).toContain('<p>Check the <b>sign-in</b> logs.</p>');
    expect(html).toContain('<li>one</li>');
    expect(html).not.toMatch(/<script/i);
    expect(hasHandler(html)).toBe(false);
    expect(hasScriptUrl(html)).toBe(false);
  });

  it('renders markdown when the text holds no HTML', () => {
    expect(renderRichText('**Isolate** the host')).toContain('<strong>Isolate</strong>');
  });
});
