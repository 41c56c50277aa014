/** @balancenuma/cli — the `balancenuma` command. */
export { main, buildProgram } from "./main.js";
export type { Io } from "./io.js";
export { formatReport } from "./run-command.js";
export { writeFileAtomic } from "./atomic-write.js";
