import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 39,
  key: "migrate-last-nid",
  title: "mm: numa: migrate: Set last_nid on newly allocated page",
  author: "Hillf Danton",
  v10: "38",
  subsystems: ["mm-migrate"],
  upstream,
  requires: [
    { step: 37, why: "it copies page->_last_nid, which step 37 adds" },
  ],
  apply(f) {
    f.migrateCopiesLastNid = true;
  },
});
