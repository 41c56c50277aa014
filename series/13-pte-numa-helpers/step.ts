import { defineStep } from "../step.js";
import { nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 13,
  key: "pte-numa-helpers",
  title: "mm: numa: pte_numa() and pmd_numa()",
  author: "Andrea Arcangeli",
  v10: "12",
  subsystems: ["arch-x86-pgtable"],
  upstream,
  requires: [{ step: 12, why: "pte_numa() and pmd_numa() test _PAGE_NUMA, which step 12 defines" }],
  observable: {
    claims: [nothingOn(reviewRun("remote-memory"))],
    when: "never on an as-built kernel: the helpers have no caller yet",
  },
  apply(f) {
    // The Kconfig symbols appear too, but no architecture selects ARCH_SUPPORTS_NUMA_BALANCING yet:
    // CONFIG_NUMA_BALANCING stays off unless a kernel is built with the config forced on.
    f.pteNumaHelpers = true;
  },
});
