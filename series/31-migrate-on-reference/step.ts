import { defineStep } from "../step.js";
import { moves, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 31,
  key: "migrate-on-reference",
  title: "mm: numa: Migrate on reference policy",
  author: "Mel Gorman",
  v10: "30",
  subsystems: ["mm-mempolicy"],
  upstream,
  requires: [
    { step: 19, why: "MPOL_F_MORON is read in step 19's mpol_misplaced()" },
    { step: 22, why: "the default policy makes hinting faults migrate, which step 22 starts" },
  ],
  observable: {
    claims: [
      ...moves(reviewRun("private-halves"), { thp_split: "up", numa_pages_migrated: "up", pgmigrate_success: "up", local_percent: "up" }),
      ...moves(reviewRun("remote-memory"), { numa_pages_migrated: "unchanged" }),
    ],
    when: "for memory hinted pte by pte: on stock workloads a misplaced THP, split by its hinting fault into 512 hinted ptes that then fault and move one by one (private-halves with THP always); remote-memory's 4 KB buffer is hinted a whole pmd at a time, and pmd-level faults migrate only from step 32",
  },
  apply(f) {
    f.migrateOnReference = true;
  },
});
