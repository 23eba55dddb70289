/**
 * apimachinery's intstr.GetScaledValueFromIntOrPercent for minAvailable / maxUnavailable:
 * an integer is itself; "N%" is N percent of `total`, rounded up (the disruption
 * controller always rounds up: 50% of 3 pods is 2). Anything else is an error worded as
 * kube words it, because it ends up in the budget's SyncFailed condition.
 */

export type IntOrString = number | string;

/** a value with a '%' suffix (the String side of IntOrString) */
export const isPercentValue = (value: unknown): value is string => typeof value === 'string';

export function scaledValue(value: IntOrString | undefined | null, total: number, roundUp = true): number {
  if (value === undefined || value === null) throw new Error('nil value for IntOrString');
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`invalid value for IntOrString: invalid value ${value}: not an integer`);
    return value;
  }
  if (typeof value !== 'string') throw new Error('invalid value for IntOrString: invalid type: neither int nor percentage');
  if (!value.endsWith('%')) throw new Error('invalid value for IntOrString: invalid type: string is not a percentage');
  const digits = value.slice(0, -1);
  if (!/^[+-]?\d+$/.test(digits)) {
    throw new Error(`invalid value for IntOrString: invalid value ${JSON.stringify(value)}: strconv.Atoi: parsing ${JSON.stringify(digits)}: invalid syntax`);
  }
  const scaled = (Number(digits) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}
