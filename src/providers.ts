import type { Provider } from './core/provider.js';
import { datafiniti } from './providers/datafiniti/index.js';
import { fingerbank } from './providers/fingerbank/index.js';

/** Every provider the mock serves, each at its documented paths. */
export const providers: readonly Provider[] = [datafiniti, fingerbank];
