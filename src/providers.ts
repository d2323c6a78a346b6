import type { Provider } from './provider.js';
import { datafiniti } from './providers/datafiniti/index.js';
import { datonis } from './providers/datonis/index.js';
import { fingerbank } from './providers/fingerbank/index.js';
import { plaspy } from './providers/plaspy/index.js';

/** Every provider the mock serves, each at its documented paths. */
export const providers: readonly Provider[] = [datafiniti, fingerbank, plaspy, datonis];
