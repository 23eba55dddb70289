/**
 * Tests run compiled (npm test builds every .ts into dist-test/ once, then tap runs the
 * .js: transpiling each test's import graph per process cost most of the suite's CPU).
 * Data files (.yaml, .proto) are not compiled, so a test finds them in the source tree;
 * a sibling module it spawns has the extension the test itself has.
 */
import { fileURLToPath } from 'node:url';

/** the path of `relative` next to the test, in the source tree even when the test runs from dist-test/ */
export const sourcePath = (metaUrl: string, relative: string): string =>
  fileURLToPath(new URL(relative, metaUrl)).replace(/([/\\])dist-test[/\\]/, '$1');

/** '.ts' when the test runs from source, '.js' when compiled */
export const moduleExtension = (metaUrl: string): '.ts' | '.js' => (metaUrl.endsWith('.ts') ? '.ts' : '.js');
