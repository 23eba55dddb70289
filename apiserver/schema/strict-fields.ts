/**
 * fieldValidation=Strict|Warn: the fields kube's strict decoder reports.
 *
 * - findUnknownFields walks an object against its schema and returns the paths of fields
 *   the schema does not know, e.g. ['.spec.foo', '.spec.containers[0].imagePolicy'].
 * - findDuplicateFields scans raw JSON text (duplicates are gone once parsed) and returns
 *   the paths of keys repeated within one object, e.g. ['.spec.replicas'].
 * - strictDecodingMessage words them as kube does:
 *     strict decoding error: unknown field "spec.foo", duplicate field "spec.replicas"
 *   (Strict answers 400 BadRequest with it; Warn sends one `Warning:` header per entry.)
 *
 * Maps (additionalProperties) accept any key; `x-kubernetes-preserve-unknown-fields`
 * ends the walk; `$ref` and single-entry `allOf` are followed.
 */
import { idOfRef, type SchemaLookup, type SchemaObject } from './schema-registry.js';

/** With `prune`, the unknown fields are also removed, as kube's decoder drops them. */
export function findUnknownFields(schemas: SchemaLookup, rootId: string, object: unknown, prune = false): string[] {
  const root = schemas.get(rootId);
  if (!root) return [];
  const out: string[] = [];
  walk(schemas, root, object, '', out, prune);
  return out;
}

function resolve(schemas: SchemaLookup, schema: SchemaObject | undefined): SchemaObject | undefined {
  let s = schema;
  for (let depth = 0; s && depth < 16; depth++) {
    if (s.$ref) s = schemas.get(idOfRef(s.$ref));
    else if (s.allOf?.length === 1 && !s.properties && !s.type) s = s.allOf[0];
    else return s;
  }
  return s;
}

function walk(schemas: SchemaLookup, schema: SchemaObject | undefined, value: unknown, path: string, out: string[], prune: boolean): void {
  const s = resolve(schemas, schema);
  if (!s || s['x-kubernetes-preserve-unknown-fields'] || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    if (s.items) value.forEach((item, i) => walk(schemas, s.items, item, `${path}[${i}]`, out, prune));
    return;
  }
  const record = value as Record<string, unknown>;
  if (s.properties) {
    for (const [key, child] of Object.entries(record)) {
      const childSchema = s.properties[key];
      if (!childSchema) {
        out.push(`${path}.${key}`);
        if (prune) delete record[key];
      } else walk(schemas, childSchema, child, `${path}.${key}`, out, prune);
    }
    return;
  }
  if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    for (const [key, child] of Object.entries(record)) walk(schemas, s.additionalProperties, child, `${path}.${key}`, out, prune);
  }
}

/**
 * Paths of keys repeated inside one JSON object, in the order the repeats appear. Returns
 * [] for text that is not valid JSON (the JSON parser reports that error itself).
 */
export function findDuplicateFields(text: string): string[] {
  const scanner = new DuplicateScanner(text);
  try {
    scanner.value();
    return scanner.duplicates;
  } catch {
    return [];
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
/** JSON's four whitespace characters */
const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * A JSON scanner that only tracks keys. It runs on every create and update body (kube
 * reports duplicates under the default fieldValidation=Warn), so it works on char codes,
 * slices key strings without parsing unless they hold escapes, and builds a field path
 * only when it finds a duplicate: the path is a stack of segments, joined on demand.
 */
class DuplicateScanner {
  private pos = 0;
  private readonly path: string[] = [];
  readonly duplicates: string[] = [];
  constructor(private readonly text: string) {}

  value(): void {
    this.space();
    const c = this.text.charCodeAt(this.pos);
    if (c === OPEN_BRACE) this.object();
    else if (c === OPEN_BRACKET) this.array();
    else if (c === QUOTE) this.string();
    else this.literal();
  }

  private object(): void {
    this.pos++; // {
    this.space();
    if (this.text.charCodeAt(this.pos) === CLOSE_BRACE) {
      this.pos++;
      return;
    }
    // most objects have a handful of keys: an array scan beats a Set here
    const keys: string[] = [];
    for (;;) {
      this.space();
      const key = this.string();
      this.path.push(`.${key}`);
      if (keys.includes(key)) this.duplicates.push(this.path.join(''));
      else keys.push(key);
      this.space();
      this.expect(COLON);
      this.value();
      this.path.pop();
      this.space();
      if (this.text.charCodeAt(this.pos) === COMMA) {
        this.pos++;
        continue;
      }
      this.expect(CLOSE_BRACE);
      return;
    }
  }

  private array(): void {
    this.pos++; // [
    this.space();
    if (this.text.charCodeAt(this.pos) === CLOSE_BRACKET) {
      this.pos++;
      return;
    }
    for (let i = 0; ; i++) {
      this.path.push(`[${i}]`);
      this.value();
      this.path.pop();
      this.space();
      if (this.text.charCodeAt(this.pos) === COMMA) {
        this.pos++;
        continue;
      }
      this.expect(CLOSE_BRACKET);
      return;
    }
  }

  private string(): string {
    this.expect(QUOTE);
    const start = this.pos;
    let escaped = false;
    const text = this.text;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos++);
      if (c === BACKSLASH) {
        escaped = true;
        this.pos++;
      } else if (c === QUOTE) {
        return escaped ? (JSON.parse(text.slice(start - 1, this.pos)) as string) : text.slice(start, this.pos - 1);
      }
    }
    throw new SyntaxError('unterminated string');
  }

  /** numbers, true, false, null: up to the next delimiter (JSON.parse has validated them) */
  private literal(): void {
    const start = this.pos;
    const text = this.text;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isSpace(c)) break;
      this.pos++;
    }
    if (this.pos === start) throw new SyntaxError(`unexpected character at ${this.pos}`);
  }

  private space(): void {
    while (this.pos < this.text.length && isSpace(this.text.charCodeAt(this.pos))) this.pos++;
  }

  private expect(c: number): void {
    if (this.text.charCodeAt(this.pos) !== c) throw new SyntaxError(`expected ${String.fromCharCode(c)} at ${this.pos}`);
    this.pos++;
  }
}

/** kube's wording: `strict decoding error: unknown field "spec.foo", duplicate field "spec.x"` */
export function strictDecodingMessage(unknown: readonly string[], duplicates: readonly string[] = []): string {
  const parts = [
    ...unknown.map((p) => `unknown field ${JSON.stringify(trimDot(p))}`),
    ...duplicates.map((p) => `duplicate field ${JSON.stringify(trimDot(p))}`),
  ];
  return `strict decoding error: ${parts.join(', ')}`;
}

const trimDot = (path: string) => (path.startsWith('.') ? path.slice(1) : path);
