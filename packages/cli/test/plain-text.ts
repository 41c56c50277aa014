/** Checks on text users read: Markdown files and the output of `balancenuma review`. */

/** Words of the project's private notes that mean nothing to a user; cite the real source instead. */
const JARGON: [RegExp, string][] = [
  [/fact[ -]sheet/i, "fact sheet"],
  [/step-deltas|step deltas/i, "step-deltas"],
  [/kernel-facts/i, "kernel-facts"],
  [/shared\/reference/i, "shared/reference"],
  [/\bINFERRED\b/, "INFERRED marker"],
  [/\bNOT VERIFIED\b/, "NOT VERIFIED marker"],
  [/\bREAD\b(?= in\b| from\b|\)|;|:)/, "READ marker"],
  [/\(inferred\)|, inferred\)|\(inferred;/, "bare (inferred) marker: say what it was deduced from"],
  [/\bcorrection [AB]\d+/i, "correction list reference"],
];

/** "file:line: word" for each jargon word found. */
export function jargon(text: string, name: string): string[] {
  const out: string[] = [];
  text.split("\n").forEach((line, i) => {
    for (const [re, word] of JARGON) if (re.test(line)) out.push(`${name}:${i + 1}: ${word}`);
  });
  return out;
}

/** "file:line" of each heading whose next non-blank line (outside code blocks) is another heading. */
export function headingPairs(md: string, name: string): string[] {
  const out: string[] = [];
  let fenced = false;
  let previous: number | undefined;
  md.split("\n").forEach((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      previous = undefined;
      return;
    }
    if (fenced || line.trim() === "") return;
    const heading = /^#{1,6} /.test(line);
    if (heading && previous !== undefined) out.push(`${name}:${previous}: heading directly followed by '${line}'`);
    previous = heading ? i + 1 : undefined;
  });
  return out;
}
