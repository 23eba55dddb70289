/**
 * Fields no manager ever owns (kube's stripMetaManager): the type fields and the metadata
 * the server sets. Removed as exact members, so metadata.labels and the rest stay.
 */
import { FieldSet } from './field-set.js';
import { fieldPath } from './path-element.js';

const SERVER_OWNED = FieldSet.of(
  fieldPath('apiVersion'),
  fieldPath('kind'),
  fieldPath('metadata'),
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map((f) =>
    fieldPath('metadata', f),
  ),
);

export const stripMeta = (set: FieldSet): FieldSet => set.difference(SERVER_OWNED);
