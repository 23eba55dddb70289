/**
 * Reads a KubeSchedulerConfiguration file for `k8ts up --scheduler-config FILE`. A file
 * that cannot be read is a SchedulerConfigError too, so the caller has one error type to
 * turn into its startup error (one line: what is wrong, with the field's path).
 */
import { readFile } from 'node:fs/promises';
import { SchedulerConfigError } from './config-error.js';
import { parseSchedulerConfig, type ParsedSchedulerConfig } from './parse-config.js';

export async function loadSchedulerConfig(path: string, knownPlugins: Iterable<string>): Promise<ParsedSchedulerConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SchedulerConfigError([code === 'ENOENT' ? 'no such file' : `cannot read it: ${code ?? (err as Error).message}`]);
  }
  return parseSchedulerConfig(text, knownPlugins);
}
