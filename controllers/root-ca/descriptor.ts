/** The root CA publisher's registry entry; off when the manager was given no CA. */
import type { ControllerDescriptor } from '../controller-context.js';
import { rootCaController } from './root-ca-controller.js';

export const rootCaDescriptor: ControllerDescriptor = {
  name: 'root-ca-cert-publisher',
  start: (ctx) => (ctx.caPem ? rootCaController({ ...ctx, caPem: ctx.caPem }) : undefined),
};
