/**
 * kubelet/images/'s unit tests, gathered so kubelet-unit.test.ts needs one line for them.
 * Each file still runs alone with node.
 */
import './content-store.cases.js';
import './layer-entry-path.cases.js';
import './unpack-layer.cases.js';
import './build-image.cases.js';
