/**
 * The syscall script in packages/kernel/README.md ("Driving the system calls from a script") runs
 * as written and prints what its comments say, so the documented 3.7 answers cannot drift.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

it("packages/kernel/README.md's syscall script prints what its comments say", () => {
  const md = readFileSync(`${root}packages/kernel/README.md`, "utf8");
  const section = md.slice(md.indexOf("## Driving the system calls from a script"));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  const want = code
    .split("\n")
    .filter((l) => l.startsWith("console.log("))
    .map((l) => l.slice(l.lastIndexOf("// ") + 3));
  expect(want.length).toBeGreaterThan(10);
  // Inside the series package so its imports resolve as the README's do.
  const file = `${root}series/.readme-syscalls.${process.pid}.ts`;
  writeFileSync(file, code);
  let out: string;
  try {
    out = execFileSync(process.execPath, ["--conditions=@balancenuma/source", "--import", "tsx", file], { cwd: root, encoding: "utf8" });
  } finally {
    rmSync(file, { force: true });
  }
  expect(out.trimEnd().split("\n")).toEqual(want);
});
