import { defineStep } from "../step.js";
import { nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 38,
  key: "thp-split-last-nid",
  title: "mm: numa: split_huge_page: Transfer last_nid on tail page",
  author: "Hillf Danton",
  v10: "37",
  subsystems: ["mm-huge-memory"],
  upstream,
  requires: [{ step: 37, why: "it copies page->_last_nid, which step 37 adds" }],
  observable: {
    claims: [nothingOn(reviewRun("remote-memory"))],
    when: "never at this step: last_nid is read from step 40 on",
  },
  apply(f) {
    f.splitHugePageLastNid = true;
  },
});
