import { defineStep } from "../step.js";
import { moves, nothingOn, reviewRun } from "../observable.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 49,
  key: "rmap-walk-read-lock",
  title: "mm/rmap, migration: Make rmap_walk_anon() and try_to_unmap_anon() more scalable",
  author: "Ingo Molnar",
  v10: "49",
  subsystems: ["mm-rmap", "mm-migrate"],
  upstream,
  observable: {
    claims: [
      ...moves({ workload: "numa01", topology: "default", seconds: 2, thp: "never" }, { sys_lock_anon_vma: "down" }),
      nothingOn(reviewRun("remote-memory")),
    ],
    when: "when migrations and rmap walks of one anon_vma overlap (numa01's threads migrating 4 KB pages of one buffer): walkers share the lock",
  },
  apply(f) {
    f.anonVmaLock = "rwsem-read-walks";
  },
});
