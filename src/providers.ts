import type { Provider } from './provider.js';
import { datafiniti } from './providers/datafiniti/index.js';
import { datonis } from './providers/datonis/index.js';
import { fingerbank } from './providers/fingerbank/index.js';
import { plaspy } from './providers/plaspy/index.js';

/** Every provider the mock serves, each at its documented paths. */
export const providers = [datafiniti, fingerbank, plaspy, datonis] as const satisfies readonly Provider[];

/** The slug of a provider the mock serves. */
export type ProviderSlug = (typeof providers)[number]['slug'];
