import { defineStep } from "../step.js";
import { nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 22,
  key: "numa-migrate-on-fault",
  title: "mm: mempolicy: Use _PAGE_NUMA to migrate pages",
  author: "Mel Gorman",
  v10: "21",
  subsystems: ["mm-memory", "mm-huge-memory"],
  upstream,
  requires: [
    { step: 15, why: "a misplaced huge page is split, and its 4 KiB pages are hinted only because step 15's split keeps the hint" },
    { step: 16, why: "the hinting-fault handlers it makes migrate are step 16's" },
    { step: 19, why: "it asks step 19's mpol_misplaced() where the page belongs" },
    { step: 20, why: "it moves the page with step 20's migrate_misplaced_page()" },
  ],
  observable: {
    claims: [nothingOn(reviewRun("remote-memory"))],
    when: "never on an as-built kernel: no policy asks for migrate-on-fault yet",
  },
  apply(f) {
    f.numaFaultMigrates = true;
  },
});
