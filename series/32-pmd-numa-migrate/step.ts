import { defineStep } from "../step.js";
import { moves, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 32,
  key: "pmd-numa-migrate",
  title: "mm: numa: Migrate pages handled during a pmd_numa hinting fault",
  author: "Mel Gorman",
  v10: "31",
  subsystems: ["mm-memory"],
  upstream,
  requires: [
    { step: 22, why: "do_pmd_numa_page() migrates the way step 22's do_numa_page() does" },
    { step: 26, why: "it reports each page to step 26's task_numa_fault()" },
  ],
  observable: {
    claims: [...moves(reviewRun("remote-memory"), { numa_pages_migrated: "up", pgmigrate_success: "up", local_percent: "up" })],
    when: "for memory hinted a whole pmd at a time (all its pages on one node), such as remote-memory's buffer",
  },
  apply(f) {
    f.pmdNumaMigrate = true;
  },
});
