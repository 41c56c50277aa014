import { defineStep } from "../step.js";
import { moves, nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 45,
  key: "thp-migrate",
  title: "mm: numa: Add THP migration for the NUMA working set scanning fault case. (with its build fix folded in)",
  author: "Mel Gorman",
  v10: "44+45",
  subsystems: ["mm-huge-memory", "mm-migrate"],
  upstream,
  requires: [
    { step: 22, why: "it migrates whole the huge pages step 22's do_huge_pmd_numa_page() splits" },
    { step: 34, why: "huge pages are rate limited by step 34's per-node limit (moved into numamigrate_update_ratelimit())" },
  ],
  observable: {
    claims: [
      ...moves(reviewRun("numa02"), { thp_split: "down", nr_anon_transparent_hugepages: "up", numa_hint_faults: "down", numa_pages_migrated: "up" }),
      nothingOn(reviewRun("remote-memory")),
    ],
    when: "for THP-backed memory that is misplaced, such as numa02's with THP always; remote-memory's buffer is in 4 KB pages",
  },
  apply(f) {
    f.thpMigrate = true;
  },
});
