import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CLI_PACKAGE_DIR } from "./package-dir.js";

/** The tool's version, from the CLI package's package.json. */
export const TOOL_VERSION: string = (JSON.parse(readFileSync(join(CLI_PACKAGE_DIR, "package.json"), "utf8")) as { version: string }).version;
