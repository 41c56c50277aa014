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
  apply(f) {
    f.migrateCopiesLastNid = true;
  },
});
