/** Builds the browser bundle (one ESM file); resolves to the output path. */
export declare const DEFAULT_BUNDLE: string;
export declare function bundleRuntime(outfile?: string): Promise<string>;
/** Bytes of a built bundle, minified as written and gzipped (level 9). */
export declare function bundleSizes(file: string): { minified: number; gzipped: number };
