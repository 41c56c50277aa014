import { defineStep } from "../step.js";
import { moves, nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 48,
  key: "anon-vma-rwsem",
  title: "mm/rmap: Convert the struct anon_vma::mutex to an rwsem",
  author: "Ingo Molnar",
  v10: "48",
  subsystems: ["mm-rmap"],
  upstream,
  observable: {
    claims: [
      ...moves({ workload: "numa01", topology: "default", seconds: 2, thp: "never" }, { sys_lock_anon_vma: "up" }),
      nothingOn(reviewRun("remote-memory")),
    ],
    when: "when threads contend for one anon_vma (numa01's threads migrating 4 KB pages of one buffer): a waiter now sleeps, a context switch each, instead of spinning briefly",
  },
  apply(f) {
    f.anonVmaLock = "rwsem";
  },
});
