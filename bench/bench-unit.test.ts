/**
 * The benches' unit tests (argument parsing, counters) in one tap process; each
 * `*.cases.ts` is a test file of its own, gathered here because tap starts every test
 * file in a fresh Node process. To run one alone: `node dist-test/bench/<path>.cases.js`.
 */
import './controllers/write-counts.cases.js';
import './scheduler/args.cases.js';
import './scheduler/bind-tracker.cases.js';
import './scheduler/cluster-objects.cases.js';
