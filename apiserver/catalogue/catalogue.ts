/**
 * The catalogue: every ResourceDef the server serves, looked up by URL parts or by kind.
 * Built-in kinds are registered at start (resources/index.ts); CRDs will be added and
 * removed at run time, so lookups always go through here.
 */
import type { GroupVersionKind, ResourceDef } from './resource-def.js';

export class Catalogue {
  private readonly byResource = new Map<string, ResourceDef>();
  private readonly byKind = new Map<string, ResourceDef>();

  constructor(defs: readonly ResourceDef[] = []) {
    for (const d of defs) this.add(d);
  }

  add(def: ResourceDef): void {
    const rk = resourceKey(def.group, def.version, def.plural);
    if (this.byResource.has(rk)) throw new Error(`duplicate resource ${rk}`);
    this.byResource.set(rk, def);
    this.byKind.set(kindKey(def), def);
  }

  remove(group: string, version: string, plural: string): void {
    const def = this.byResource.get(resourceKey(group, version, plural));
    if (!def) return;
    this.byResource.delete(resourceKey(group, version, plural));
    this.byKind.delete(kindKey(def));
  }

  resource(group: string, version: string, plural: string): ResourceDef | undefined {
    return this.byResource.get(resourceKey(group, version, plural));
  }

  kind(gvk: GroupVersionKind): ResourceDef | undefined {
    return this.byKind.get(kindKey(gvk));
  }

  all(): ResourceDef[] {
    return [...this.byResource.values()];
  }

  /** group → versions, in registration order (the first is the preferred version) */
  groups(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const d of this.byResource.values()) {
      const versions = out.get(d.group) ?? [];
      if (!versions.includes(d.version)) versions.push(d.version);
      out.set(d.group, versions);
    }
    return out;
  }

  inGroupVersion(group: string, version: string): ResourceDef[] {
    return this.all().filter((d) => d.group === group && d.version === version);
  }
}

const resourceKey = (group: string, version: string, plural: string) => `${group}/${version}/${plural}`;
const kindKey = (gvk: GroupVersionKind) => `${gvk.group}/${gvk.version}/${gvk.kind}`;
