/**
 * What runc said, as text a user can read. runc reports its own errors on stderr, in one of
 * three shapes depending on its flags:
 *
 *   --log-format json, no --log:   {"level":"error","msg":"container does not exist","time":"…"}
 *   default (text):                time="2026-11-24T21:20:06Z" level=error msg="container does not exist"
 *   --log FILE (stderr is plain):  container does not exist
 *
 * We keep the error-level messages and drop the rest, so a CriError carries exactly runc's
 * words (e.g. `exec: "/nope": stat /nope: no such file or directory`). Pure, table-tested.
 */

/** the error messages in runc's stderr (or log file), joined; '' when it said nothing */
export function runcErrorMessage(output: string): string {
  const messages: string[] = [];
  const plain: string[] = [];
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const json = parseJsonLine(line);
    if (json) {
      if (json.level === 'error' || json.level === 'fatal') messages.push(json.msg);
      continue;
    }
    const text = parseLogfmtLine(line);
    if (text) {
      if (text.level === 'error' || text.level === 'fatal') messages.push(text.msg);
      continue;
    }
    plain.push(line);
  }
  return unique(messages.length ? messages : plain).join('; ');
}

/** runc's answers that mean "nothing left to do" for kill/delete */
export const isNotExistMessage = (message: string): boolean => /container does not exist|container .* does not exist|no such container/i.test(message);
export const isNotRunningMessage = (message: string): boolean => /container not running|process already finished|container is stopped/i.test(message);

function parseJsonLine(line: string): { level: string; msg: string } | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line) as { level?: unknown; msg?: unknown };
    if (typeof value.msg !== 'string') return undefined;
    return { level: typeof value.level === 'string' ? value.level : '', msg: value.msg };
  } catch {
    return undefined;
  }
}

/** logrus text format: key=value pairs, values quoted with Go escapes when needed */
function parseLogfmtLine(line: string): { level: string; msg: string } | undefined {
  const level = /(?:^|\s)level=(\w+)/.exec(line)?.[1];
  const msgMatch = /(?:^|\s)msg=("(?:[^"\\]|\\.)*"|\S+)/.exec(line);
  if (!level || !msgMatch?.[1]) return undefined;
  const value = msgMatch[1];
  if (!value.startsWith('"')) return { level, msg: value };
  try {
    return { level, msg: JSON.parse(value) as string };
  } catch {
    return { level, msg: value.slice(1, -1) };
  }
}

const unique = (items: string[]): string[] => [...new Set(items)];
