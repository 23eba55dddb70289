/**
 * Which links count as k8ts bridges when deciding whether ip_forward may go back off.
 */
import t from 'tap';
import { k8tsBridges } from './ip-forward.js';

t.test('k8tsBridges', async (t) => {
  const cases: Array<[Array<{ ifname?: string }>, string[]]> = [
    [[], []],
    [[{ ifname: 'k8ts1a2b3c' }, { ifname: 'docker0' }], ['k8ts1a2b3c']],
    [[{ ifname: 'k8tsxyz' }, { ifname: 'k8ts1a2b3c4' }, {}], []],
    [[{ ifname: 'k8tsabcdef' }, { ifname: 'k8ts000000' }], ['k8tsabcdef', 'k8ts000000']],
  ];
  for (const [links, want] of cases) t.same(k8tsBridges(links), want, JSON.stringify(links));
});
