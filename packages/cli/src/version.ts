import { readFileSync } from "node:fs";

/** The tool's version, from the CLI package's package.json (one level above src/ and dist/ alike). */
export const TOOL_VERSION: string = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
