export const ROOT: string;
export const SERVER_BUNDLE: string;
export const SERVER_STAMP: string;
/** The sources' names, sizes and modification times, one line each, sorted. */
export function sourceStamp(): string;
/** Whether dist/server holds a bundle built from the sources as they are now. */
export function bundleIsCurrent(): boolean;
