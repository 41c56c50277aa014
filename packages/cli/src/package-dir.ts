import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The CLI package's folder (where its package.json is), found by walking up from this module: the
 * same answer from src/, dist/ and the bundled command in dist/bundle/.
 */
function cliPackageDir(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "@balancenuma/cli") return dir;
    if (dirname(dir) === dir) throw new Error("the @balancenuma/cli package.json is not above its modules");
  }
}

export const CLI_PACKAGE_DIR = cliPackageDir();
