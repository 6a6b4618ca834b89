import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * PDFs printed by the browser tests, read with poppler-utils (Debian's `pdftotext` and
 * `pdftoppm`, never a downloaded tool): their text, and their pages as images for review. A
 * missing tool fails the test with one line saying how to install it, as a missing Chromium does.
 */

function tool(name: 'pdftotext' | 'pdftoppm'): string {
  const found = ['/usr/bin', '/usr/local/bin'].map((d) => join(d, name)).find((p) => existsSync(p));
  if (!found) throw new Error(`the PDF checks need ${name}: apt-get install -y poppler-utils`);
  return found;
}

/** The text of a PDF, page by page in reading order (pdftotext's default: columns are not interleaved). */
export function pdfText(pdf: string): string {
  return execFileSync(tool('pdftotext'), ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
}

/**
 * Each page of a PDF as a PNG at `dpi`, named `<outPrefix>-<page>.png`; returns the files in
 * page order.
 */
export function pdfPages(pdf: string, outPrefix: string, dpi = 72): string[] {
  const dir = dirname(outPrefix);
  mkdirSync(dir, { recursive: true });
  const stem = basename(outPrefix);
  const ours = (f: string) => f.startsWith(`${stem}-`) && f.endsWith('.png') && /^\d+$/.test(f.slice(stem.length + 1, -4));
  // A longer report printed earlier leaves no stale pages behind.
  for (const f of readdirSync(dir).filter(ours)) rmSync(join(dir, f));
  execFileSync(tool('pdftoppm'), ['-png', '-r', String(dpi), pdf, outPrefix]);
  // pdftoppm pads page numbers to the width of the last one (report-1.png, or report-01.png …).
  return readdirSync(dir)
    .filter(ours)
    .sort((a, b) => Number(a.slice(stem.length + 1, -4)) - Number(b.slice(stem.length + 1, -4)))
    .map((f) => {
      const n = Number(f.slice(stem.length + 1, -4));
      const target = join(dir, `${stem}-${n}.png`);
      if (join(dir, f) !== target) renameSync(join(dir, f), target);
      return target;
    });
}
