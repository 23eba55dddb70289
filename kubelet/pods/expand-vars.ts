/**
 * kube's `$(VAR)` expansion (third_party/forked/golang/expansion), used for env values
 * and for command/args. Its rules, which users rely on, are exactly these:
 *
 *   $(VAR)      → the variable's value when known; an unknown one stays `$(VAR)` as written
 *   $$          → a literal `$` (so `$$(VAR)` yields `$(VAR)` unexpanded)
 *   $(VAR       → unterminated: kept as written
 *   $x, $ at end → kept as written (a `$` not followed by `(` or `$` is just a character)
 *
 * Worked example with A=1: `$(A)-$$(A)-$(B)-$$$(A)` → `1-$(A)-$(B)-$1`.
 * Pure: the lookup is a function so callers decide which maps are consulted and in which
 * order (the kubelet consults the container's own env first, then the service env).
 */

/** a lookup over several maps, first hit wins; a miss yields the reference itself, as kube's MappingFuncFor does */
export function mappingFor(...contexts: Array<ReadonlyMap<string, string> | Readonly<Record<string, string>>>): (name: string) => string {
  return (name) => {
    for (const vars of contexts) {
      if (vars instanceof Map) {
        const value = vars.get(name);
        if (value !== undefined) return value;
      } else if (Object.prototype.hasOwnProperty.call(vars, name)) {
        return (vars as Record<string, string>)[name]!;
      }
    }
    return `$(${name})`;
  };
}

export function expandVars(input: string, mapping: (name: string) => string): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const next = input[cursor + 1];
    let advance = 1;
    if (next === '$') {
      out += '$';
    } else if (next === '(') {
      const close = input.indexOf(')', cursor + 2);
      if (close >= 0) {
        out += mapping(input.slice(cursor + 2, close));
        advance = close - cursor;
      } else {
        // unterminated: emit "$(" and carry on scanning after it
        out += '$(';
      }
    } else {
      out += `$${next}`;
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}
