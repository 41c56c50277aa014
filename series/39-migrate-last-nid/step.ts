import { defineStep } from "../step.js";
import { nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 39,
  key: "migrate-last-nid",
  title: "mm: numa: migrate: Set last_nid on newly allocated page",
  author: "Hillf Danton",
  v10: "38",
  subsystems: ["mm-migrate"],
  upstream,
  requires: [{ step: 37, why: "it copies page->_last_nid, which step 37 adds" }],
  observable: {
    claims: [nothingOn(reviewRun("remote-memory"))],
    when: "never at this step: last_nid is read from step 40 on",
  },
  apply(f) {
    f.migrateCopiesLastNid = true;
  },
});
