/** Granted leases, their deadlines (by the injected clock) and the keys attached to them. */

export interface LeaseEntry {
  id: number;
  ttlSeconds: number;
  deadline: number;
  keys: Set<string>;
}

export class LeaseTable {
  private readonly leases = new Map<number, LeaseEntry>();

  get size(): number {
    return this.leases.size;
  }

  get(id: number): LeaseEntry | undefined {
    return this.leases.get(id);
  }

  grant(id: number, ttlSeconds: number, now: number): LeaseEntry {
    const entry = { id, ttlSeconds, deadline: now + ttlSeconds * 1000, keys: new Set<string>() };
    this.leases.set(id, entry);
    return entry;
  }

  restore(entry: LeaseEntry): void {
    this.leases.set(entry.id, entry);
  }

  remove(id: number): LeaseEntry | undefined {
    const entry = this.leases.get(id);
    this.leases.delete(id);
    return entry;
  }

  /** Moves `key` from lease `from` to lease `to` (0 = none). */
  move(key: string, from: number, to: number): void {
    if (from === to) return;
    if (from) this.leases.get(from)?.keys.delete(key);
    if (to) this.leases.get(to)?.keys.add(key);
  }

  expired(now: number): number[] {
    const ids: number[] = [];
    for (const l of this.leases.values()) if (l.deadline <= now) ids.push(l.id);
    return ids;
  }
}
