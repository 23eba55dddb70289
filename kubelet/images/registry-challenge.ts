/**
 * Parses `WWW-Authenticate` header values (RFC 7235 §4.1) into challenges, so the registry
 * client can answer a 401 the way docker and containerd do (Basic, or Bearer with a token
 * from the challenge's realm).
 *
 *   WWW-Authenticate = 1#challenge
 *   challenge        = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 *   auth-param       = token BWS "=" BWS ( token / quoted-string )
 *
 * Worked example: `Bearer realm="http://a/token",service="reg",scope="repository:x:pull", Basic realm="r"`
 * → [{ scheme: 'bearer', params: { realm: 'http://a/token', service: 'reg', scope: 'repository:x:pull' } },
 *    { scheme: 'basic', params: { realm: 'r' } }].
 *
 * Why a real grammar and not a regular expression: commas separate both parameters and
 * challenges, and quoted strings may contain commas, `=` and backslash escapes; only a
 * tokenizer that knows where a quoted string ends splits these correctly. Pure, no I/O.
 */

export interface AuthChallenge {
  /** The scheme, lower-cased (schemes are case-insensitive): 'basic', 'bearer', … */
  scheme: string;
  /** Parameters with lower-cased names (names are case-insensitive; values are not). */
  params: Record<string, string>;
  /** A token68 credential hint, for schemes that use one instead of parameters. */
  token68?: string;
}

// RFC 7230 tchar
const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
// RFC 7235 token68 characters (before the trailing '=' padding)
const TOKEN68_CHAR = /[A-Za-z0-9\-._~+/]/;

/** Every challenge in one or more header values (several headers are joined with ', '). */
export function parseWwwAuthenticate(headerValues: string | readonly string[]): AuthChallenge[] {
  const input = typeof headerValues === 'string' ? headerValues : headerValues.join(', ');
  const challenges: AuthChallenge[] = [];
  const p = new Cursor(input);
  for (;;) {
    p.skip(/[\s,]/);
    if (p.done()) break;
    const scheme = p.take(TOKEN_CHAR);
    if (scheme === '') {
      p.pos++; // not a challenge start: skip the stray character
      continue;
    }
    const challenge: AuthChallenge = { scheme: scheme.toLowerCase(), params: {} };
    challenges.push(challenge);
    if (!p.skip(/[ \t]/)) continue; // no space: a bare scheme
    parseChallengeBody(p, challenge);
  }
  return challenges;
}

/** After the scheme: a token68, or a comma-separated list of name=value parameters. */
function parseChallengeBody(p: Cursor, challenge: AuthChallenge): void {
  for (;;) {
    p.skip(/[ \t]/);
    const start = p.pos;
    const name = p.take(TOKEN_CHAR);
    if (name === '') return;
    p.skip(/[ \t]/);
    if (p.peek() !== '=' || !isParamValueAfterEquals(p)) {
      // Not `name=value`: either a token68 (only allowed as the first thing) or the next challenge.
      p.pos = start;
      if (Object.keys(challenge.params).length === 0 && challenge.token68 === undefined) {
        const token68 = readToken68(p);
        if (token68 !== undefined) challenge.token68 = token68;
      }
      return;
    }
    p.pos++; // '='
    p.skip(/[ \t]/);
    const value = p.peek() === '"' ? readQuoted(p) : p.take(TOKEN_CHAR);
    challenge.params[name.toLowerCase()] = value;
    p.skip(/[ \t]/);
    if (p.peek() !== ',') return;
    // A comma: the next item is another parameter only if it looks like `name =`.
    const afterComma = p.pos;
    p.pos++;
    p.skip(/[\s,]/);
    const lookahead = p.pos;
    const nextName = p.take(TOKEN_CHAR);
    p.skip(/[ \t]/);
    const isParam = nextName !== '' && p.peek() === '=' && isParamValueAfterEquals(p);
    p.pos = isParam ? lookahead : afterComma;
    if (!isParam) return;
  }
}

/** At '=': whether a parameter value follows (token68 padding is '=' followed by nothing of the sort). */
function isParamValueAfterEquals(p: Cursor): boolean {
  let i = p.pos + 1;
  while (i < p.input.length && /[ \t]/.test(p.input[i]!)) i++;
  const next = p.input[i];
  return next !== undefined && (next === '"' || TOKEN_CHAR.test(next)) && next !== '=';
}

function readToken68(p: Cursor): string | undefined {
  const start = p.pos;
  const body = p.take(TOKEN68_CHAR);
  if (body === '') return undefined;
  while (p.peek() === '=') p.pos++;
  return p.input.slice(start, p.pos);
}

/** A quoted-string, with `\x` meaning x; an unterminated one runs to the end of the input. */
function readQuoted(p: Cursor): string {
  p.pos++; // opening quote
  let out = '';
  while (!p.done()) {
    const c = p.input[p.pos++]!;
    if (c === '"') return out;
    if (c === '\\' && !p.done()) out += p.input[p.pos++]!;
    else out += c;
  }
  return out;
}

class Cursor {
  pos = 0;
  constructor(readonly input: string) {}
  done(): boolean {
    return this.pos >= this.input.length;
  }
  peek(): string | undefined {
    return this.input[this.pos];
  }
  /** Advances over characters matching re; true when it moved. */
  skip(re: RegExp): boolean {
    const start = this.pos;
    while (!this.done() && re.test(this.input[this.pos]!)) this.pos++;
    return this.pos > start;
  }
  take(re: RegExp): string {
    const start = this.pos;
    this.skip(re);
    return this.input.slice(start, this.pos);
  }
}
