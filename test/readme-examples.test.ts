// Every ```ts example in the READMEs (the packages' and the repository's) runs, as a user's script would (imports by package
// name, resolved from the sources through the private @balancenuma/source condition), so the
// examples cannot drift from the API again.
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const readmes = [...readdirSync(join(root, "packages")).map((p) => `packages/${p}/README.md`), "series/README.md", "README.md"];

/** The ```ts blocks of a markdown text, in order. */
export function tsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

const examples = readmes.flatMap((readme) => {
  let text: string;
  try {
    text = readFileSync(join(root, readme), "utf8");
  } catch {
    return [];
  }
  return tsBlocks(text).map((code, i) => ({ name: `${readme} example ${i + 1}`, code }));
});

// Inside the workspace, so the root's node_modules resolve @balancenuma/* as they would for a user.
const dir = join(root, ".vitest", "readme-examples");
mkdirSync(dir, { recursive: true });
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("package README examples", () => {
  it("finds the ```ts blocks of a README", () => {
    expect(tsBlocks("# x\n```ts\nconst a = 1;\n```\ntext\n```sh\nls\n```\n```ts\nb();\n```\n")).toEqual(["const a = 1;\n", "b();\n"]);
    expect(examples.length).toBeGreaterThanOrEqual(15);
  });

  // Each in its own Node process, side by side.
  it.concurrent.each(examples)(
    "$name runs",
    async ({ name, code }) => {
      const file = join(dir, `${name.replace(/[^\w]+/g, "-")}.mts`);
      writeFileSync(file, code);
      // Throws (failing the test with the script's stderr) on a non-zero exit: an import that is not
      // exported, a call that throws, an invariant that breaks.
      await promisify(execFile)(process.execPath, ["--conditions=@balancenuma/source", "--import", "tsx", file], { cwd: root });
    },
    180_000,
  );
});
