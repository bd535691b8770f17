import { readFile, writeFile } from 'node:fs/promises';

/*
 * RESULTS.md holds sections that their own modes rewrite (`--sizes`, `--access-review`), each
 * between `<!-- name:start -->` and `<!-- name:end -->`; a full run keeps them as they were.
 */

const markers = (name: string) => [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`] as const;

/** A section's text, framed by its markers. */
export function framed(name: string, lines: string[]): string {
  const [start, end] = markers(name);
  return [start, ...lines, end].join('\n');
}

/** `markdown` with section `name` replaced by `section` (appended when absent; dropped if null). */
export function withSection(markdown: string, name: string, section: string | null): string {
  const [START, END] = markers(name);
  const start = markdown.indexOf(START);
  const end = markdown.indexOf(END);
  const without =
    start >= 0 && end > start
      ? `${markdown.slice(0, start).trimEnd()}\n${markdown.slice(end + END.length).trimStart()}`
      : markdown;
  if (section === null) return without;
  return `${without.trimEnd()}\n\n${section}\n`;
}

/** Section `name` as it stands in `markdown`, or null. */
export function sectionOf(markdown: string, name: string): string | null {
  const [START, END] = markers(name);
  const start = markdown.indexOf(START);
  const end = markdown.indexOf(END);
  return start >= 0 && end > start ? markdown.slice(start, end + END.length) : null;
}

/** Replaces section `name` of the file at `path`, keeping every other section. */
export async function writeSection(path: string, name: string, section: string): Promise<void> {
  const current = await readFile(path, 'utf8').catch(() => '');
  await writeFile(path, withSection(current, name, section));
}
