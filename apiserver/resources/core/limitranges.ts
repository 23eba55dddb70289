/**
 * core/v1 LimitRange: per-namespace bounds and defaults for containers, pods and claims.
 * Validation (a subset of kube's ValidateLimitRange): resource names are standard or
 * fully qualified, quantities parse and are non-negative, one item per type, Pod items
 * take no defaults, and min ≤ default(request) ≤ max. Quantities are stored canonical.
 */
import { ALL_VERBS, type KubeObject, type ResourceDef, type Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { column, nameColumn } from '../printing.js';
import { canonicalizeResourceList, isStandardContainerResource, quantityOf, quantityText, type ResourceList, resourceNameRule, validateResourceList } from './resource-lists.js';

/**
 * One item as it is on the wire: the client-node model renames `default` to `_default`
 * (a TypeScript keyword clash), so the JSON shape is spelled out here.
 */
interface LimitRangeItem {
  type?: string;
  max?: ResourceList;
  min?: ResourceList;
  default?: ResourceList;
  defaultRequest?: ResourceList;
  maxLimitRequestRatio?: ResourceList;
}
type LimitRange = KubeObject & { spec?: { limits?: LimitRangeItem[] } };

const LIST_FIELDS = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const;
const limitName = resourceNameRule(isStandardContainerResource, 'must be a standard limit type or fully qualified');

function validateItem(item: LimitRangeItem, at: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!item || typeof item !== 'object') return [fieldErrors.typeInvalid(at, item, 'must be an object')];
  if (!item.type) errs.push(fieldErrors.required(`${at}.type`));
  for (const f of LIST_FIELDS) errs.push(...validateResourceList(item[f], `${at}.${f}`, { nonNegative: true, name: limitName }));
  if (errs.length) return errs;

  if (item.type === 'Pod') {
    if (Object.keys(item.default ?? {}).length) errs.push(fieldErrors.forbidden(`${at}.default`, "may not be specified when `type` is 'Pod'"));
    if (Object.keys(item.defaultRequest ?? {}).length) errs.push(fieldErrors.forbidden(`${at}.defaultRequest`, "may not be specified when `type` is 'Pod'"));
  }
  const text = (v: unknown) => quantityText(v);
  const get = (f: (typeof LIST_FIELDS)[number], k: string) => (item[f]?.[k] === undefined ? undefined : quantityOf(item[f]![k]));
  const names = new Set(LIST_FIELDS.flatMap((f) => Object.keys(item[f] ?? {})));
  for (const k of names) {
    const min = get('min', k);
    const max = get('max', k);
    const def = get('default', k);
    const req = get('defaultRequest', k);
    const t = (f: (typeof LIST_FIELDS)[number]) => text(item[f]![k]);
    if (min && max && min.nano > max.nano) errs.push(fieldErrors.invalid(`${at}.min[${k}]`, t('min'), `min value ${t('min')} is greater than max value ${t('max')}`));
    if (def && min && min.nano > def.nano) errs.push(fieldErrors.invalid(`${at}.default[${k}]`, t('default'), `min value ${t('min')} is greater than default value ${t('default')}`));
    if (def && max && def.nano > max.nano) errs.push(fieldErrors.invalid(`${at}.default[${k}]`, t('default'), `default value ${t('default')} is greater than max value ${t('max')}`));
    if (req && min && min.nano > req.nano)
      errs.push(fieldErrors.invalid(`${at}.defaultRequest[${k}]`, t('defaultRequest'), `min value ${t('min')} is greater than default request value ${t('defaultRequest')}`));
    if (req && max && req.nano > max.nano)
      errs.push(fieldErrors.invalid(`${at}.defaultRequest[${k}]`, t('defaultRequest'), `default request value ${t('defaultRequest')} is greater than max value ${t('max')}`));
    if (req && def && req.nano > def.nano)
      errs.push(fieldErrors.invalid(`${at}.defaultRequest[${k}]`, t('defaultRequest'), `default request value ${t('defaultRequest')} is greater than default limit value ${t('default')}`));
    const ratio = get('maxLimitRequestRatio', k);
    if (ratio && ratio.nano < 1_000_000_000n) errs.push(fieldErrors.invalid(`${at}.maxLimitRequestRatio[${k}]`, t('maxLimitRequestRatio'), `ratio ${t('maxLimitRequestRatio')} is less than 1`));
  }
  return errs;
}

function validate(obj: KubeObject): FieldError[] {
  const limits = (obj as LimitRange).spec?.limits;
  if (limits === undefined) return [];
  if (!Array.isArray(limits)) return [fieldErrors.typeInvalid('spec.limits', limits, 'must be an array')];
  const errs: FieldError[] = [];
  const types = new Set<string>();
  limits.forEach((item, i) => {
    errs.push(...validateItem(item, `spec.limits[${i}]`));
    if (item?.type) {
      if (types.has(item.type)) errs.push(fieldErrors.duplicate(`spec.limits[${i}].type`, item.type));
      types.add(item.type);
    }
  });
  return errs;
}

export const limitRangeStrategy: Strategy = {
  validate,
  canonicalize(obj) {
    for (const item of (obj as LimitRange).spec?.limits ?? []) for (const f of LIST_FIELDS) canonicalizeResourceList(item?.[f]);
  },
};

export const limitranges: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'LimitRange',
  plural: 'limitranges',
  singular: 'limitrange',
  shortNames: ['limits'],
  namespaced: true,
  categories: [],
  verbs: [...ALL_VERBS],
  modelName: 'V1LimitRange',
  subresources: [],
  // kube prints the creation time itself here, not an age
  printerColumns: [nameColumn, column('Created At', 'date', 'Time the limit range was created.', (o) => o.metadata.creationTimestamp ?? null)],
  strategy: limitRangeStrategy,
};
