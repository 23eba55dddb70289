/**
 * A set of field paths, stored as kube stores it: a trie whose nodes hold `members` (paths
 * that end here) and `children` (paths that continue). A path can be both a member and a
 * prefix of other members: metadata.labels is a member when the labels map itself is owned,
 * and a prefix of metadata.labels.app. FieldsV1 writes that case as {".":{}, "f:app":{}}.
 *
 * Set algebra is kube's (structured-merge-diff fieldpath.Set): union, intersection and
 * difference work member by member at each level; difference is not recursive, so removing
 * `spec` as a member leaves `spec.replicas` in place.
 */
import { comparePE, serializePE, type Path, type PathElement } from './path-element.js';

interface Child {
  pe: PathElement;
  set: FieldSet;
}

export class FieldSet {
  private readonly members = new Map<string, PathElement>();
  private readonly children = new Map<string, Child>();

  static of(...paths: Path[]): FieldSet {
    const out = new FieldSet();
    for (const p of paths) out.insert(p);
    return out;
  }

  insert(path: Path): this {
    if (!path.length) return this;
    let node: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) node = node.descend(path[i]!);
    const last = path[path.length - 1]!;
    node.members.set(serializePE(last), last);
    return this;
  }

  /** the child set under `pe`, created when missing */
  descend(pe: PathElement): FieldSet {
    const key = serializePE(pe);
    let child = this.children.get(key);
    if (!child) {
      child = { pe, set: new FieldSet() };
      this.children.set(key, child);
    }
    return child.set;
  }

  has(path: Path): boolean {
    if (!path.length) return false;
    let node: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1 && node; i++) node = node.children.get(serializePE(path[i]!))?.set;
    return !!node?.members.has(serializePE(path[path.length - 1]!));
  }

  hasMember(pe: PathElement): boolean {
    return this.members.has(serializePE(pe));
  }

  /** the paths below `pe` (relative to it); empty when there are none */
  withPrefix(pe: PathElement): FieldSet {
    return this.children.get(serializePE(pe))?.set ?? EMPTY;
  }

  isEmpty(): boolean {
    if (this.members.size) return false;
    for (const c of this.children.values()) if (!c.set.isEmpty()) return false;
    return true;
  }

  /** members at this level, in kube's order */
  sortedMembers(): PathElement[] {
    return [...this.members.values()].sort(comparePE);
  }

  /** non-empty children at this level, in kube's order */
  sortedChildren(): Array<[PathElement, FieldSet]> {
    return [...this.children.values()]
      .filter((c) => !c.set.isEmpty())
      .sort((a, b) => comparePE(a.pe, b.pe))
      .map((c) => [c.pe, c.set]);
  }

  union(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of [...this.members, ...other.members]) out.members.set(k, pe);
    for (const [k, c] of this.children) out.children.set(k, { pe: c.pe, set: c.set.union(other.children.get(k)?.set ?? EMPTY) });
    for (const [k, c] of other.children) if (!this.children.has(k)) out.children.set(k, { pe: c.pe, set: c.set.union(EMPTY) });
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (other.members.has(k)) out.members.set(k, pe);
    for (const [k, c] of this.children) {
      const theirs = other.children.get(k);
      if (!theirs) continue;
      const set = c.set.intersection(theirs.set);
      if (!set.isEmpty()) out.children.set(k, { pe: c.pe, set });
    }
    return out;
  }

  difference(other: FieldSet): FieldSet {
    return this.subtract(other, false);
  }

  /** removes every path at or below a member of `other` (kube's RecursiveDifference) */
  recursiveDifference(other: FieldSet): FieldSet {
    return this.subtract(other, true);
  }

  private subtract(other: FieldSet, recursive: boolean): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (!other.members.has(k)) out.members.set(k, pe);
    for (const [k, c] of this.children) {
      if (recursive && other.members.has(k)) continue;
      const theirs = other.children.get(k);
      const set = theirs ? c.set.subtract(theirs.set, recursive) : c.set.union(EMPTY);
      if (!set.isEmpty()) out.children.set(k, { pe: c.pe, set });
    }
    return out;
  }

  equals(other: FieldSet): boolean {
    return this.difference(other).isEmpty() && other.difference(this).isEmpty();
  }

  /** every member path: this level's members first, then each child's, in kube's order */
  paths(prefix: Path = []): PathElement[][] {
    const out: PathElement[][] = this.sortedMembers().map((pe) => [...prefix, pe]);
    for (const [pe, set] of this.sortedChildren()) out.push(...set.paths([...prefix, pe]));
    return out;
  }

  size(): number {
    let n = this.members.size;
    for (const c of this.children.values()) n += c.set.size();
    return n;
  }
}

const EMPTY = new FieldSet();
