import { describe, expect, it } from "vitest";
import { cliInPipe } from "./helpers.js";

describe("output into a closed pipe", () => {
  it.each([
    [["series"]],
    [["workloads"]],
    [["run", "--seconds", "0.1", "-t", "nodes=2,cpus=2,mem=64M"]],
    // bisect prints as it goes: it must stop at its first line, not run the whole search.
    [["bisect", "numa_pages_migrated > 0"]],
  ])("%j exits at once with status 141 (as SIGPIPE would) and nothing on stderr", (args) => {
    const r = cliInPipe(args, "true", 30_000);
    expect(r.err).toBe("");
    expect(r.code).toBe(141);
  });
});
