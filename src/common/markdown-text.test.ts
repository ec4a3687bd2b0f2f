import { describe, expect, it } from 'vitest';
import { markdownToBlocks, type TextBlock } from './markdown-text.js';

const plain = (block: TextBlock) => block.runs.map((r) => r.text).join('');

describe('markdownToBlocks', () => {
  it('keeps headings, paragraphs, emphasis and code as styled text', () => {
    const blocks = markdownToBlocks('# Findings\n\nThe **host** was *isolated* with `Isolate-Host`.\n\n```\nGet-Process\n```');
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'paragraph', 'code']);
    expect(blocks[0]).toMatchObject({ level: 1, runs: [{ text: 'Findings' }] });
    expect(blocks[1]!.runs).toEqual([
      { text: 'The ' },
      { text: 'host', bold: true },
      { text: ' was ' },
      { text: 'isolated', italic: true },
      { text: ' with ' },
      { text: 'Isolate-Host', code: true },
      { text: '.' },
    ]);
    expect(blocks[2]!.runs).toEqual([{ text: 'Get-Process', code: true }]);
  });

  it('numbers and nests list items', () => {
    const blocks = markdownToBlocks('1. first\n2. second\n   - inner\n');
    expect(blocks.map((b) => [b.marker, b.depth, plain(b)])).toEqual([
      ['1.', 1, 'first'],
      ['2.', 1, 'second'],
      ['•', 2, 'inner'],
    ]);
  });

  it('spells links out as "text (url)", keeps bare URLs once, and links only safe schemes', () => {
    const [block] = markdownToBlocks(
      'See [the runbook](https://wiki.example/rb) or https://x.example and [bad](javascript:alert(1))',
    );
    expect(plain(block!)).toBe('See the runbook (https://wiki.example/rb) or https://x.example and [bad](javascript:alert(1))');
    expect(block!.runs.filter((r) => r.link).map((r) => r.link)).toEqual([
      'https://wiki.example/rb',
      'https://wiki.example/rb',
      'https://x.example',
    ]);
  });

  it('shows raw HTML in markdown as text, and turns HTML comments (Sentinel playbooks) into text without tags', () => {
    expect(plain(markdownToBlocks('a <script>alert(1)</script> b')[0]!)).toBe('a <script>alert(1)</script> b');
    const blocks = markdownToBlocks(
      '<p>Blocked <b>10.0.0.5</b> &amp; notified <a href="https://soc.example/t/1">SOC</a></p><ul><li>one</li><li>two</li></ul><script>x()</script>',
    );
    expect(blocks.map(plain)).toEqual(['Blocked 10.0.0.5 & notified SOC (https://soc.example/t/1)', 'one', 'two']);
    expect(blocks[0]!.runs.find((r) => r.text === '10.0.0.5')).toMatchObject({ bold: true });
  });

  it('keeps non-Latin text verbatim', () => {
    const [block] = markdownToBlocks('Zoë — Привет — 漢字かな');
    expect(plain(block!)).toBe('Zoë — Привет — 漢字かな');
  });
});
