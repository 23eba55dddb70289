/**
 * kube-apiserver's static token file (--token-auth-file): CSV, one token per line,
 *
 *   token,user,uid,"group1,group2"
 *
 * at least three columns; the optional fourth is a comma-separated group list (quoted,
 * since it holds commas). Read the way kube reads it (Go's encoding/csv, any number of
 * fields per line, blank lines skipped): an empty token is skipped and a repeated token
 * replaces the earlier one, both with a warning; any other problem is an error naming
 * the line.
 */
import type { UserInfo } from './user.js';

export class TokenFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenFileError';
  }
}

export interface StaticTokens {
  /** token -> user (groups as written: system:authenticated is added when authenticating) */
  tokens: Map<string, UserInfo>;
  warnings: string[];
}

interface CsvRecord {
  line: number;
  fields: string[];
}

/** RFC 4180 as Go reads it: quoted fields may hold commas, "" and newlines. */
function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = 0;
  let line = 1;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    let atLineEnd = false;
    // a blank line is no record
    if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] === '\n')) {
      i += text[i] === '\r' ? 2 : 1;
      line++;
      continue;
    }
    while (!atLineEnd) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) throw new TokenFileError(`line ${start}: a quoted field is not closed`);
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        if (i < text.length && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
          throw new TokenFileError(`line ${line}: unexpected text after a quoted field`);
        }
      } else {
        while (i < text.length && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
          if (text[i] === '"') throw new TokenFileError(`line ${line}: a quote inside an unquoted field (quote the whole field)`);
          field += text[i];
          i++;
        }
      }
      fields.push(field);
      if (text[i] === ',') {
        i++;
      } else {
        atLineEnd = true;
        if (text[i] === '\r') i++;
        if (text[i] === '\n') {
          i++;
          line++;
        }
      }
    }
    records.push({ line: start, fields });
  }
  return records;
}

export function parseTokenFile(text: string): StaticTokens {
  const tokens = new Map<string, UserInfo>();
  const warnings: string[] = [];
  for (const { line, fields } of parseCsv(text)) {
    if (fields.length < 3) {
      throw new TokenFileError(`line ${line}: must have at least 3 columns (token, user name, user uid), found ${fields.length}`);
    }
    const [token, name, uid, groups] = fields as [string, string, string, string | undefined];
    if (token === '') {
      warnings.push(`line ${line}: empty token, skipped`);
      continue;
    }
    if (name === '') throw new TokenFileError(`line ${line}: empty user name`);
    if (tokens.has(token)) warnings.push(`line ${line}: duplicate token, this line replaces the earlier one`);
    tokens.set(token, { name, uid, groups: (groups ?? '').split(',').filter((g) => g !== '') });
  }
  return { tokens, warnings };
}
