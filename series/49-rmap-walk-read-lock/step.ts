import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 49,
  key: "rmap-walk-read-lock",
  title: "mm/rmap, migration: Make rmap_walk_anon() and try_to_unmap_anon() more scalable",
  author: "Ingo Molnar",
  v10: "49",
  subsystems: ["mm-rmap", "mm-migrate"],
  upstream,
  apply(f) {
    f.anonVmaLock = "rwsem-read-walks";
  },
});
