// Writes the generated parts of each series/NN-key/PATCH.md: the Upstream section from the step's
// upstream.ts data and the "Checked on runs" line from its step.ts observable claims
// (series/upstream.test.ts and series/observable.test.ts fail while any is out of date).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { SERIES, withCheckedLine, withUpstreamSection } from "@balancenuma/series";
import { writeFileAtomic } from "@balancenuma/cli";

const series = dirname(fileURLToPath(import.meta.resolve("@balancenuma/series/package.json")));
let changed = 0;
for (const step of SERIES) {
  const file = join(series, `${String(step.number).padStart(2, "0")}-${step.key}`, "PATCH.md");
  const md = readFileSync(file, "utf8");
  const next = withCheckedLine(withUpstreamSection(md, step), step);
  if (next !== md) {
    writeFileAtomic(file, next);
    changed++;
  }
}
console.log(`${changed} of ${SERIES.length} PATCH.md files updated`);
