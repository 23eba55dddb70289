import t from 'tap';
import { parseTokenFile, TokenFileError } from './token-file.js';

// [file text, token -> {name, uid, groups}, warnings]
const good: Array<[string, string, Record<string, { name: string; uid: string; groups: string[] }>, string[]]> = [
  ['three columns', 'tok1,alice,1001\n', { tok1: { name: 'alice', uid: '1001', groups: [] } }, []],
  ['quoted groups', 'tok1,alice,1001,"devs,ops"\n', { tok1: { name: 'alice', uid: '1001', groups: ['devs', 'ops'] } }, []],
  ['one group unquoted', 'tok1,alice,1001,devs', { tok1: { name: 'alice', uid: '1001', groups: ['devs'] } }, []],
  ['empty group column', 'tok1,alice,1001,""\n', { tok1: { name: 'alice', uid: '1001', groups: [] } }, []],
  ['extra columns ignored', 'tok1,alice,1001,devs,whatever\n', { tok1: { name: 'alice', uid: '1001', groups: ['devs'] } }, []],
  [
    'several lines, CRLF, blank lines',
    'tok1,alice,1001\r\n\r\ntok2,"bob, jr",1002,"system:masters"\r\n\n',
    { tok1: { name: 'alice', uid: '1001', groups: [] }, tok2: { name: 'bob, jr', uid: '1002', groups: ['system:masters'] } },
    [],
  ],
  ['doubled quotes in a quoted field', 'tok1,"a ""b""",1\n', { tok1: { name: 'a "b"', uid: '1', groups: [] } }, []],
  ['empty token skipped with a warning', ',alice,1\ntok2,bob,2\n', { tok2: { name: 'bob', uid: '2', groups: [] } }, ['line 1: empty token, skipped']],
  [
    'duplicate token: the later line wins, with a warning',
    'tok,alice,1\ntok,bob,2\n',
    { tok: { name: 'bob', uid: '2', groups: [] } },
    ['line 2: duplicate token, this line replaces the earlier one'],
  ],
  ['empty file', '', {}, []],
];

for (const [title, text, users, warnings] of good) {
  t.test(title, async (t) => {
    const parsed = parseTokenFile(text);
    t.same(Object.fromEntries(parsed.tokens), users);
    t.same(parsed.warnings, warnings);
  });
}

// [file text, error message]
const bad: Array<[string, string]> = [
  ['tok1,alice\n', 'line 1: must have at least 3 columns (token, user name, user uid), found 2'],
  ['tok1,alice,1\n\njust-a-token\n', 'line 3: must have at least 3 columns (token, user name, user uid), found 1'],
  ['tok1,,1\n', 'line 1: empty user name'],
  ['tok1,alice,1,"devs\n', 'line 1: a quoted field is not closed'],
  ['tok1,"alice"x,1\n', 'line 1: unexpected text after a quoted field'],
  ['tok1,al"ice,1\n', 'line 1: a quote inside an unquoted field (quote the whole field)'],
];

for (const [text, message] of bad) {
  t.test(`refused: ${JSON.stringify(text)}`, async (t) => {
    t.throws(() => parseTokenFile(text), new TokenFileError(message));
  });
}
