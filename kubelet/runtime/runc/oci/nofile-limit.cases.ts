import t from 'tap';
import { containerNofileLimit, DEFAULT_NOFILE_LIMIT, parseNofileHardLimit } from './nofile-limit.js';

const limits = (soft: string, hard: string) =>
  `Limit                     Soft Limit           Hard Limit           Units     \nMax cpu time              unlimited            unlimited            seconds   \nMax open files            ${soft}                ${hard}                files     \n`;

t.equal(parseNofileHardLimit(limits('1024', '20000')), 20000);
t.equal(parseNofileHardLimit(limits('1024', '1048576')), 1048576);
t.equal(parseNofileHardLimit(limits('unlimited', 'unlimited')), undefined);
t.equal(parseNofileHardLimit('garbage'), undefined);
const limit = await containerNofileLimit();
t.ok(limit > 0 && limit <= DEFAULT_NOFILE_LIMIT, `this process: ${limit}`);
