/** @balancenuma/cli — the `balancenuma` command. */
export { main, buildProgram, type Io } from "./main.js";
export { formatReport } from "./run-command.js";
export { writeFileAtomic } from "./atomic-write.js";
