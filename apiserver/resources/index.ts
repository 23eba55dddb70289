/** The built-in kinds this API server serves, in the order discovery lists them. */
import { Catalogue } from '../catalogue/catalogue.js';
import type { ResourceDef } from '../catalogue/resource-def.js';
import { coreResources, eventsResources } from './core/index.js';
import { moreCoreResources } from './more-core.js';

export const builtinResources = (): readonly ResourceDef[] => [...coreResources, ...moreCoreResources, ...eventsResources];

export const builtinCatalogue = () => new Catalogue(builtinResources());
