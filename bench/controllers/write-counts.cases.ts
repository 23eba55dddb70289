import t from 'tap';
import { countsSince, writeCounts } from './write-counts.js';

const scrape = (n: number) =>
  [
    '# HELP apiserver_request_total x',
    `apiserver_request_total{code="201",component="apiserver",dry_run="",group="",resource="pods",scope="resource",subresource="",verb="POST",version="v1"} ${n}`,
    `apiserver_request_total{code="200",component="apiserver",dry_run="",group="",resource="pods",scope="resource",subresource="status",verb="PUT",version="v1"} ${2 * n}`,
    `apiserver_request_total{code="200",component="apiserver",dry_run="All",group="",resource="pods",scope="resource",subresource="",verb="POST",version="v1"} 7`,
    `apiserver_request_total{code="200",component="apiserver",dry_run="",group="",resource="pods",scope="namespace",subresource="",verb="LIST",version="v1"} 9`,
  ].join('\n');

t.same(Object.fromEntries(writeCounts(scrape(3))), { pods: 3, 'pods/status': 6 }, 'writes only, dry runs left out');
t.same(Object.fromEntries(countsSince(writeCounts(scrape(3)), writeCounts(scrape(5)))), { pods: 2, 'pods/status': 4 });
