/** The types of bundle.mjs, for the TypeScript that imports it (scripts/build.ts, the tests). */
export declare const root: string;
export declare const PACKAGE_ASSETS: Record<string, string[]>;
export declare function bundleIsStale(outDir?: string): boolean;
export declare function bundle(outDir?: string): Promise<void>;
export declare function bundleIfStale(outDir?: string): Promise<boolean>;
