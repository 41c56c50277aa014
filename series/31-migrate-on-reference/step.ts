import { defineStep } from "../step.js";
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
  apply(f) {
    f.migrateOnReference = true;
  },
});
