/**
 * Label selectors, with kube's syntax, semantics and error wording
 * (k8s.io/apimachinery/pkg/labels and metav1.LabelSelector), written anew.
 *
 * Two sources, one matcher shape:
 *   - the query string form: `?labelSelector=app=web,tier in (a,b),!canary` →
 *     parseLabelSelector() → LabelRequirement[]; errors are 400 BadRequest with kube's text,
 *     e.g. `unable to parse requirement: found '', expected: '('`.
 *   - the object form in specs (Deployment/ReplicaSet/PDB selectors): metav1 LabelSelector
 *     {matchLabels, matchExpressions} → validateLabelSelector() gives FieldErrors for the
 *     strategies; labelSelectorMatcher() gives the matcher for the controllers.
 *
 * Grammar (kube's, with the `gt`/`lt` operators kube also accepts):
 *   selector    := "" | requirement ("," requirement)*
 *   requirement := ["!"] KEY [ ("in"|"notin") "(" values ")" | ("="|"=="|"!="|">"|"<") VALUE ]
 *   A bare KEY means Exists, "!KEY" DoesNotExist. Whitespace separates tokens and is
 *   otherwise ignored; "in"/"notin" are keywords only in operator position
 *   ("in in (in)" is a valid requirement on the key "in").
 *
 * Matching (kube's Requirement.Matches): In/=/== need the key present with a listed value;
 * NotIn/!= also match when the key is absent; Gt/Lt need the key present with an integer
 * value. Requirements are ANDed; an empty selector matches everything.
 */
import { ApiError } from '../errors/api-error.js';
import { fieldErrors, renderValue, type FieldError } from '../errors/field-error.js';
import { labelValue, qualifiedName } from '../validation/names.js';

export type LabelOperator = 'In' | 'NotIn' | 'Equals' | 'DoubleEquals' | 'NotEquals' | 'Exists' | 'DoesNotExist' | 'GreaterThan' | 'LessThan';

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  /** sorted and without duplicates, as kube keeps them; empty for Exists/DoesNotExist */
  values: string[];
}

export type Labels = Record<string, string> | undefined;
export type LabelMatcher = (labels: Labels) => boolean;

/** metav1.LabelSelector, as it appears in specs */
export interface LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirement[] | null;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[] | null;
}

export const matchEverything: LabelMatcher = () => true;
export const matchNothing: LabelMatcher = () => false;

// ---------------------------------------------------------------------------------------
// Requirements: construction (kube's NewRequirement checks) and matching
// ---------------------------------------------------------------------------------------

/** the operator spellings kube lists in "expected: …" messages, in its order */
const BINARY_OPERATOR_SPELLINGS = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];

const INT64 = /^[+-]?[0-9]+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Go's strconv.ParseInt(s, 10, 64), or undefined */
function parseInt64(s: string): bigint | undefined {
  if (!INT64.test(s)) return undefined;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

/** kube's utilerrors aggregate text: one message alone, several as "[a, b]" (duplicates dropped) */
const aggregate = (messages: string[]): string => {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
};

/**
 * Build a requirement, checking it as kube's labels.NewRequirement does. Returns the error
 * text (kube's aggregate of field errors) instead of throwing, so each caller can wrap it.
 * Field paths are kube's for a selector without a root path: "key", "values",
 * "values[i]" and "values[i][<key>]". An empty value list renders as `null`, as Go prints
 * the nil slice kube passes.
 */
export function newRequirement(key: string, operator: LabelOperator, values: readonly string[]): LabelRequirement | { error: string } {
  const errs: string[] = [];
  const keyErrs = qualifiedName(key);
  if (keyErrs.length) errs.push(`key: Invalid value: ${renderValue(key)}: ${keyErrs.join('; ')}`);
  switch (operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(`values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty`);
      break;
    case 'Equals':
    case 'DoubleEquals':
    case 'NotEquals':
      if (values.length !== 1) errs.push(`values: Invalid value: ${JSON.stringify(values)}: exact-match compatibility requires one single value`);
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length !== 0) errs.push(`values: Invalid value: ${JSON.stringify(values)}: values set must be empty for exists and does not exist`);
      break;
    case 'GreaterThan':
    case 'LessThan':
      if (values.length !== 1) errs.push(`values: Invalid value: ${JSON.stringify(values)}: for 'Gt', 'Lt' operators, exactly one value is required`);
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) errs.push(`values[${i}]: Invalid value: ${renderValue(v)}: for 'Gt', 'Lt' operators, the value must be an integer`);
      });
      break;
  }
  values.forEach((v, i) => {
    const valueErrs = labelValue(v);
    if (valueErrs.length) errs.push(`values[${i}][${key}]: Invalid value: ${renderValue(v)}: ${valueErrs.join('; ')}`);
  });
  if (errs.length) return { error: aggregate(errs) };
  return { key, operator, values: [...new Set(values)].sort() };
}

export function requirementMatches(r: LabelRequirement, labels: Labels): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key]! : '';
  switch (r.operator) {
    case 'In':
    case 'Equals':
    case 'DoubleEquals':
      return has && r.values.includes(value);
    case 'NotIn':
    case 'NotEquals':
      return !has || !r.values.includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'GreaterThan':
    case 'LessThan': {
      if (!has || r.values.length !== 1) return false;
      const actual = parseInt64(value);
      const bound = parseInt64(r.values[0]!);
      if (actual === undefined || bound === undefined) return false;
      return r.operator === 'GreaterThan' ? actual > bound : actual < bound;
    }
  }
}

/** AND of the requirements; no requirements match everything */
export function requirementsMatcher(requirements: readonly LabelRequirement[]): LabelMatcher {
  if (requirements.length === 0) return matchEverything;
  return (labels) => requirements.every((r) => requirementMatches(r, labels));
}

/** kube's Selector.String(): sorted by key, e.g. `app=web,tier in (a,b),!x` */
export function formatRequirements(requirements: readonly LabelRequirement[]): string {
  const spelled: Record<LabelOperator, string> = {
    Equals: '=',
    DoubleEquals: '==',
    NotEquals: '!=',
    In: ' in ',
    NotIn: ' notin ',
    GreaterThan: '>',
    LessThan: '<',
    Exists: '',
    DoesNotExist: '',
  };
  return [...requirements]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => {
      if (r.operator === 'Exists') return r.key;
      if (r.operator === 'DoesNotExist') return `!${r.key}`;
      const values = r.values.join(',');
      return r.operator === 'In' || r.operator === 'NotIn' ? `${r.key}${spelled[r.operator]}(${values})` : `${r.key}${spelled[r.operator]}${values}`;
    })
    .join(',');
}

// ---------------------------------------------------------------------------------------
// The string form: lexer and parser
// ---------------------------------------------------------------------------------------

type TokenKind =
  | 'end'
  | 'identifier'
  | 'in'
  | 'notin'
  | '('
  | ')'
  | ','
  | '!'
  | '='
  | '=='
  | '!='
  | '>'
  | '<';

interface Token {
  kind: TokenKind;
  /** the text as written ('' at the end of the string) */
  text: string;
}

const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const WHITESPACE = new Set([' ', '\t', '\r', '\n']);

/** Split into tokens. Operators are matched longest first ("!=" before "!"). */
function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (WHITESPACE.has(ch)) {
      i++;
      continue;
    }
    if (SPECIAL.has(ch)) {
      const two = input.slice(i, i + 2);
      if (two === '!=' || two === '==') {
        tokens.push({ kind: two, text: two });
        i += 2;
      } else {
        tokens.push({ kind: ch as TokenKind, text: ch });
        i++;
      }
      continue;
    }
    let j = i;
    while (j < input.length && !SPECIAL.has(input[j]!) && !WHITESPACE.has(input[j]!)) j++;
    const word = input.slice(i, j);
    tokens.push({ kind: word === 'in' || word === 'notin' ? word : 'identifier', text: word });
    i = j;
  }
  tokens.push({ kind: 'end', text: '' });
  return tokens;
}

class SelectorSyntaxError extends Error {}

/**
 * A cursor over the tokens. In "value" position the keywords in/notin are plain
 * identifiers (kube's Values parser context); only operator position sees them as keywords.
 */
class Parser {
  private position = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(): Token {
    return asValue(this.at(this.position));
  }
  next(): Token {
    return asValue(this.at(this.position++));
  }
  nextOperator(): Token {
    return this.at(this.position++);
  }
  /** past the end, the 'end' token repeats */
  private at(i: number): Token {
    return this.tokens[Math.min(i, this.tokens.length - 1)]!;
  }
}

const asValue = (t: Token): Token => (t.kind === 'in' || t.kind === 'notin' ? { kind: 'identifier', text: t.text } : t);

const fail = (message: string): never => {
  throw new SelectorSyntaxError(message);
};

function parseRequirement(p: Parser): LabelRequirement {
  let operator: LabelOperator | undefined;
  let token = p.next();
  if (token.kind === '!') {
    operator = 'DoesNotExist';
    token = p.next();
  }
  if (token.kind !== 'identifier') fail(`found '${token.text}', expected: identifier`);
  const key = token.text;
  const keyErrs = qualifiedName(key);
  if (keyErrs.length) fail(`<nil>: Invalid value: ${renderValue(key)}: ${keyErrs.join('; ')}`);
  const after = p.peek().kind;
  if ((after === 'end' || after === ',') && operator === undefined) operator = 'Exists';
  if (operator === 'Exists' || operator === 'DoesNotExist') return checked(newRequirement(key, operator, []));

  const opToken = p.nextOperator();
  const byToken: Partial<Record<TokenKind, LabelOperator>> = {
    in: 'In',
    notin: 'NotIn',
    '=': 'Equals',
    '==': 'DoubleEquals',
    '!=': 'NotEquals',
    '>': 'GreaterThan',
    '<': 'LessThan',
  };
  const op = byToken[opToken.kind] ?? fail(`found '${opToken.text}', expected: ${BINARY_OPERATOR_SPELLINGS.join(', ')}`);
  const values = op === 'In' || op === 'NotIn' ? parseValueSet(p) : parseExactValue(p);
  return checked(newRequirement(key, op, values));
}

function checked(r: LabelRequirement | { error: string }): LabelRequirement {
  if ('error' in r) fail(r.error);
  return r as LabelRequirement;
}

/** "(a,b,c)"; empty members are the empty string: "()" = {""}, "(a,)" = {a, ""} */
function parseValueSet(p: Parser): string[] {
  const open = p.next();
  if (open.kind !== '(') fail(`found '${open.text}' expected: '('`);
  const first = p.peek();
  if (first.kind === ')') {
    p.next();
    return [''];
  }
  if (first.kind !== 'identifier' && first.kind !== ',') fail(`found '${first.text}', expected: ',', ')' or identifier`);
  const values = new Set<string>();
  for (;;) {
    const t = p.next();
    if (t.kind === 'identifier') {
      values.add(t.text);
      const after = p.peek();
      if (after.kind === ',') continue;
      if (after.kind === ')') break;
      fail(`found '${after.text}', expected: ',' or ')'`);
    } else if (t.kind === ',') {
      if (values.size === 0) values.add('');
      const after = p.peek();
      if (after.kind === ')') {
        values.add('');
        break;
      }
      if (after.kind === ',') {
        p.next();
        values.add('');
      }
    } else {
      fail(`found '${t.text}', expected: ',', or identifier`);
    }
  }
  p.next(); // the ')' just seen
  return [...values].sort(); // kube hands NewRequirement the sorted set: error indices follow it
}

/** the single value after =, ==, !=, >, <; nothing before ',' or the end means "" */
function parseExactValue(p: Parser): string[] {
  const ahead = p.peek().kind;
  if (ahead === 'end' || ahead === ',') return [''];
  const t = p.next();
  if (t.kind !== 'identifier') fail(`found '${t.text}', expected: identifier`);
  return [t.text];
}

/** the requirements of a selector string; kube's message for errors, unwrapped */
function parseRequirements(input: string): LabelRequirement[] {
  const p = new Parser(tokenize(input));
  const requirements: LabelRequirement[] = [];
  for (;;) {
    const ahead = p.peek();
    if (ahead.kind === 'end') return requirements;
    if (ahead.kind !== 'identifier' && ahead.kind !== '!') fail(`found '${ahead.text}', expected: !, identifier, or 'end of string'`);
    try {
      requirements.push(parseRequirement(p));
    } catch (err) {
      if (err instanceof SelectorSyntaxError) fail(`unable to parse requirement: ${err.message}`);
      throw err;
    }
    const t = p.next();
    if (t.kind === 'end') return requirements;
    if (t.kind !== ',') fail(`found '${t.text}', expected: ',' or 'end of string'`);
    const afterComma = p.peek();
    if (afterComma.kind !== 'identifier' && afterComma.kind !== '!') fail(`found '${afterComma.text}', expected: identifier after ','`);
  }
}

/**
 * Parse `?labelSelector=`; undefined or blank means "everything" (no requirements).
 * Throws ApiError BadRequest with kube's message.
 */
export function parseLabelSelector(input: string | undefined): LabelRequirement[] {
  if (input === undefined) return [];
  try {
    return parseRequirements(input).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  } catch (err) {
    if (err instanceof SelectorSyntaxError) throw new ApiError('BadRequest', err.message);
    throw err;
  }
}

/** parse + compile: the matcher for `?labelSelector=` (throws BadRequest) */
export function compileLabelSelector(input: string | undefined): LabelMatcher {
  return requirementsMatcher(parseLabelSelector(input));
}

// ---------------------------------------------------------------------------------------
// The object form: metav1.LabelSelector
// ---------------------------------------------------------------------------------------

const SELECTOR_OPERATORS: Record<string, LabelOperator> = {
  In: 'In',
  NotIn: 'NotIn',
  Exists: 'Exists',
  DoesNotExist: 'DoesNotExist',
};

/**
 * kube's ValidateLabelSelector (apimachinery meta/v1/validation), for strategies:
 *   spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'
 * `path` is where the selector sits, e.g. 'spec.selector'. A null selector is valid here;
 * kinds that require one check that themselves.
 */
export function validateLabelSelector(selector: LabelSelector | null | undefined, path: string): FieldError[] {
  if (!selector) return [];
  const errs: FieldError[] = [];
  const matchLabels = selector.matchLabels ?? {};
  for (const key of Object.keys(matchLabels).sort()) {
    for (const msg of qualifiedName(key)) errs.push(fieldErrors.invalid(`${path}.matchLabels`, key, msg));
    for (const msg of labelValue(matchLabels[key]!)) errs.push(fieldErrors.invalid(`${path}.matchLabels`, matchLabels[key], msg));
  }
  (selector.matchExpressions ?? []).forEach((expr, i) => {
    const at = `${path}.matchExpressions[${i}]`;
    const values = expr.values ?? [];
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(fieldErrors.required(`${at}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(fieldErrors.forbidden(`${at}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(fieldErrors.invalid(`${at}.operator`, expr.operator, 'not a valid selector operator'));
    }
    for (const msg of qualifiedName(expr.key ?? '')) errs.push(fieldErrors.invalid(`${at}.key`, expr.key ?? '', msg));
    values.forEach((v, j) => {
      for (const msg of labelValue(v)) errs.push(fieldErrors.invalid(`${at}.values[${j}]`, v, msg));
    });
  });
  return errs;
}

/**
 * kube's metav1.LabelSelectorAsSelector as requirements: null → undefined (selects
 * nothing), {} → [] (selects everything). Throws ApiError BadRequest on an invalid selector
 * (`"Foo" is not a valid label selector operator`, or NewRequirement's text).
 */
export function labelSelectorRequirements(selector: LabelSelector | null | undefined): LabelRequirement[] | undefined {
  if (!selector) return undefined;
  const requirements: LabelRequirement[] = [];
  const matchLabels = selector.matchLabels ?? {};
  for (const key of Object.keys(matchLabels).sort()) requirements.push(checkedObjectForm(newRequirement(key, 'Equals', [matchLabels[key]!])));
  for (const expr of selector.matchExpressions ?? []) {
    const op = SELECTOR_OPERATORS[expr.operator];
    if (!op) throw new ApiError('BadRequest', `${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    requirements.push(checkedObjectForm(newRequirement(expr.key, op, expr.values ?? [])));
  }
  return requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function checkedObjectForm(r: LabelRequirement | { error: string }): LabelRequirement {
  if ('error' in r) throw new ApiError('BadRequest', r.error);
  return r;
}

/**
 * The matcher for a spec's selector (controllers, services, PDBs): null selects nothing,
 * {} everything. Throws ApiError BadRequest if the selector is invalid (validation should
 * have rejected it on write; a controller logs and drops such an object).
 */
export function labelSelectorMatcher(selector: LabelSelector | null | undefined): LabelMatcher {
  const requirements = labelSelectorRequirements(selector);
  return requirements === undefined ? matchNothing : requirementsMatcher(requirements);
}

/**
 * The string form of a spec's selector, as kube prints it (Scale's status.selector,
 * `kubectl describe`): "app=web,tier in (a,b)"; "" for {} and for null.
 */
export function formatLabelSelector(selector: LabelSelector | null | undefined): string {
  return formatRequirements(labelSelectorRequirements(selector) ?? []);
}
