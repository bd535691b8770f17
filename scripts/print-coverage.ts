// Writes the Admin API coverage table (src/upstream/coverage.ts) into README.md between the
// coverage markers (npm run coverage:print). test/compat/sdk-coverage.test.ts fails when README
// differs from what this prints.
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { renderCoverageMarkdown } from '../src/upstream/coverage.js';

export const COVERAGE_START = '<!-- coverage:start -->';
export const COVERAGE_END = '<!-- coverage:end -->';

/** README with the region between the markers replaced by the current table. */
export function withCoverage(readme: string): string {
  const start = readme.indexOf(COVERAGE_START);
  const end = readme.indexOf(COVERAGE_END);
  if (start < 0 || end < start) {
    throw new Error(`README.md needs ${COVERAGE_START} followed by ${COVERAGE_END}`);
  }
  return (
    readme.slice(0, start + COVERAGE_START.length) +
    // Prettier would align 157 rows' columns; the table stays as printed.
    '\n<!-- prettier-ignore-start -->\n' +
    renderCoverageMarkdown() +
    '<!-- prettier-ignore-end -->\n' +
    readme.slice(end)
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const target = new URL('../README.md', import.meta.url);
  writeFileSync(target, withCoverage(readFileSync(target, 'utf8')));
  process.stdout.write('README.md coverage table written\n');
}
