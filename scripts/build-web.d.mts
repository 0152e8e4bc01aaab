/** Types of scripts/build-web.mjs (for the browser tests and the screenshot script). */
export function buildWeb(outFile?: string): Promise<{ outFile: string; bytes: number; csp: string }>;
