/**
 * The controllers' unit tests in one tap process. Each `*.cases.ts` beside the code is a
 * table-driven test file of its own; they are gathered here because tap starts every
 * test file in a fresh Node process, about 2 s of CPU each. To run one alone:
 * `node dist-test/controllers/<path>.cases.js`. One import line per cases file, sorted.
 */
import './common/common.cases.js';
import './label-selector.cases.js';
