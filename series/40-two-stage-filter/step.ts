import { defineStep } from "../step.js";
import { moves, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 40,
  key: "two-stage-filter",
  title: "mm: numa: Use a two-stage filter to restrict pages being migrated for unlikely task<->node relationships",
  author: "Mel Gorman",
  v10: "39",
  subsystems: ["mm-mempolicy"],
  upstream,
  requires: [
    { step: 31, why: "the filter sits in mpol_misplaced()'s MPOL_F_MORON branch, which step 31 adds" },
    { step: 37, why: "the filter keeps its state in page->_last_nid, which step 37 adds" },
  ],
  observable: {
    claims: [
      ...moves({ workload: "numa01", topology: "default", seconds: 2, thp: "always" }, { numa_pages_migrated: "down", pgmigrate_success: "down" }),
      ...moves(reviewRun("remote-memory"), { numa_pages_migrated: "up", numa_pte_updates: "up" }),
    ],
    when: "for pages used from both nodes (numa01's threads on both nodes share each process's buffer); remote-memory's pages, used from node 1 only, pass the filter on their second fault, and in the review's 4 s it even migrates more, its scanner marking more pages (the rate limit of steps 34-35 pauses it less)",
  },
  apply(f) {
    f.twoStageFilter = true;
  },
});
