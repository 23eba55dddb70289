import t from 'tap';
import { parseNodeCapacity } from './node-capacity.js';

const cases: Array<[string, unknown]> = [
  ['cpu=4,memory=8Gi,pods=110', { cpu: '4', memory: '8Gi', pods: '110' }],
  ['cpu=500m', { cpu: '500m' }],
  [' cpu=2 , memory=1.5Gi', { cpu: '2', memory: '1.5Gi' }],
  ['ephemeral-storage=100Gi', { 'ephemeral-storage': '100Gi' }],
  ['gpu=1', 'unknown resource "gpu" (known: cpu, memory, pods, ephemeral-storage)'],
  ['cpu', '"cpu" is not resource=quantity'],
  ['cpu=4=5', '"cpu=4=5" is not resource=quantity'],
  ['memory=8GB', '"8GB" is not a quantity for memory'],
  ['pods=1.5', 'pods must be a whole number, got "1.5"'],
];
for (const [text, want] of cases) t.same(parseNodeCapacity(text), want, text);
