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
    scanner.value('');
    return scanner.duplicates;
  } catch {
    return [];
  }
}

class DuplicateScanner {
  pos = 0;
  readonly duplicates: string[] = [];
  constructor(private readonly text: string) {}

  value(path: string): void {
    this.space();
    const c = this.text[this.pos];
    if (c === '{') this.object(path);
    else if (c === '[') this.array(path);
    else if (c === '"') this.string();
    else this.literal();
  }

  private object(path: string): void {
    this.pos++; // {
    const keys = new Set<string>();
    this.space();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return;
    }
    for (;;) {
      this.space();
      const key = this.string();
      const childPath = `${path}.${key}`;
      if (keys.has(key)) this.duplicates.push(childPath);
      keys.add(key);
      this.space();
      this.expect(':');
      this.value(childPath);
      this.space();
      if (this.text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      this.expect('}');
      return;
    }
  }

  private array(path: string): void {
    this.pos++; // [
    this.space();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return;
    }
    for (let i = 0; ; i++) {
      this.value(`${path}[${i}]`);
      this.space();
      if (this.text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      this.expect(']');
      return;
    }
  }

  private string(): string {
    this.expect('"');
    const start = this.pos - 1;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos++];
      if (c === '\\') this.pos++;
      else if (c === '"') return JSON.parse(this.text.slice(start, this.pos)) as string;
    }
    throw new SyntaxError('unterminated string');
  }

  private literal(): void {
    const m = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(this.text.slice(this.pos, this.pos + 64));
    if (!m) throw new SyntaxError(`unexpected character at ${this.pos}`);
    this.pos += m[0].length;
  }

  private space(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  private expect(c: string): void {
    if (this.text[this.pos] !== c) throw new SyntaxError(`expected ${c} at ${this.pos}`);
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
