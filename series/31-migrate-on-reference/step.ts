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
  apply(f) {
    f.migrateOnReference = true;
  },
});
