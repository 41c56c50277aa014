import { defineStep } from "../step.js";
import { nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 12,
  key: "page-numa-define",
  title: "mm: numa: define _PAGE_NUMA",
  author: "Andrea Arcangeli",
  v10: "11",
  subsystems: ["arch-x86-pgtable"],
  upstream,
  observable: {
    claims: [nothingOn(reviewRun("remote-memory"))],
    when: "never: the config symbol has no user yet",
  },
  apply(f) {
    f.pageNumaDefined = true;
  },
});
