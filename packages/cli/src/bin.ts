#!/usr/bin/env node
import { main } from "./main.js";
import { OutputClosed } from "./errors.js";

/**
 * Write to a standard stream. Node ignores SIGPIPE, so a closed pipe shows as the stream erroring
 * (synchronously, for pipes and files): stop the command there with OutputClosed. The stream's own
 * 'error' event is then expected and handled, so nothing prints a stack trace afterwards.
 */
function writer(stream: NodeJS.WriteStream): (s: string) => void {
  stream.on("error", () => {});
  return (s) => {
    if (!stream.errored) stream.write(s);
    if (stream.errored)
      throw new OutputClosed(
        stream === process.stdout ? "standard output" : "standard error",
        (stream.errored as NodeJS.ErrnoException).code ?? stream.errored.message,
      );
  };
}

process.exitCode = await main(process.argv.slice(2), {
  out: writer(process.stdout),
  err: writer(process.stderr),
  isTTY: process.stderr.isTTY,
});
