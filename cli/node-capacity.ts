/**
 * --node-capacity: what each simulated node offers the scheduler, e.g.
 * "cpu=4,memory=8Gi,pods=110". Small on purpose so scheduling tests can exhaust nodes;
 * runc nodes report the host instead. Quantities are checked for kube's syntax here so a
 * typo is a one-line usage error, not a Node the API server refuses later.
 */

export const CAPACITY_RESOURCES = ['cpu', 'memory', 'pods', 'ephemeral-storage'] as const;
export type NodeCapacity = Partial<Record<(typeof CAPACITY_RESOURCES)[number], string>>;

// kube's resource.Quantity: a decimal number, then a binary (Ki…Ei) or decimal (m, k, M…E) suffix or an exponent
const QUANTITY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][0-9]+)?$/;

/** Parses "cpu=4,memory=8Gi"; returns the problem as a string when it cannot. */
export function parseNodeCapacity(text: string): NodeCapacity | string {
  const capacity: NodeCapacity = {};
  for (const part of text.split(',')) {
    const [name, quantity, extra] = part.trim().split('=');
    if (name === undefined || quantity === undefined || extra !== undefined) return `"${part}" is not resource=quantity`;
    if (!(CAPACITY_RESOURCES as readonly string[]).includes(name)) return `unknown resource "${name}" (known: ${CAPACITY_RESOURCES.join(', ')})`;
    if (!QUANTITY.test(quantity)) return `"${quantity}" is not a quantity for ${name}`;
    if (name === 'pods' && !/^[0-9]+$/.test(quantity)) return `pods must be a whole number, got "${quantity}"`;
    capacity[name as keyof NodeCapacity] = quantity;
  }
  return capacity;
}
