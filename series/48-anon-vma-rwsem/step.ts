import { defineStep } from "../step.js";
import { upstream } from "./upstream.js";

export default defineStep({
  number: 48,
  key: "anon-vma-rwsem",
  title: "mm/rmap: Convert the struct anon_vma::mutex to an rwsem",
  author: "Ingo Molnar",
  v10: "48",
  subsystems: ["mm-rmap"],
  upstream,
  apply(f) {
    f.anonVmaLock = "rwsem";
  },
});
