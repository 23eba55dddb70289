import t from 'tap';
import { runConformance } from './conformance.js';
import { openStore } from './index.js';

runConformance(t, 'memory', (opts) => openStore({ ...opts, backend: 'memory' }));
