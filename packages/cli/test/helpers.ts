import { main } from "../src/main.js";

/** Run the CLI in-process; returns exit code, stdout and stderr. */
export function cli(args: string[]): { code: number; out: string; err: string } {
  let out = "";
  let err = "";
  const code = main(args, { out: (s) => (out += s), err: (s) => (err += s), isTTY: false });
  return { code, out, err };
}
