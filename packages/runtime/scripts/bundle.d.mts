/** Builds the browser bundle (one ESM file); resolves to the output path. */
export declare const DEFAULT_BUNDLE: string;
export declare function bundleRuntime(outfile?: string): Promise<string>;
