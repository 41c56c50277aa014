// Writes each series/NN-key/PATCH.md's Upstream section from the step's upstream.ts data
// (series/upstream.test.ts fails while any section is out of date).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { SERIES, withUpstreamSection } from "@balancenuma/series";
import { writeFileAtomic } from "@balancenuma/cli";

const series = dirname(fileURLToPath(import.meta.resolve("@balancenuma/series/package.json")));
let changed = 0;
for (const step of SERIES) {
  const file = join(series, `${String(step.number).padStart(2, "0")}-${step.key}`, "PATCH.md");
  const md = readFileSync(file, "utf8");
  const next = withUpstreamSection(md, step);
  if (next !== md) {
    writeFileAtomic(file, next);
    changed++;
  }
}
console.log(`${changed} of ${SERIES.length} PATCH.md files updated`);
