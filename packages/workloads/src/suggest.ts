/** "Did you mean ...?" for a mistyped name: the nearest valid name by edit distance. */
import { closest, distance } from "fastest-levenshtein";

/** The option nearest to `word`, if close enough to be a likely typo (at most a third of it differs, or 2 edits). */
function nearest(word: string, options: readonly string[]): string | undefined {
  if (word === "" || options.length === 0) return undefined;
  const best = closest(
    word.toLowerCase(),
    options.map((o) => o.toLowerCase()),
  );
  const i = options.findIndex((o) => o.toLowerCase() === best);
  return distance(word.toLowerCase(), best) <= Math.max(2, Math.floor(best.length / 3)) ? options[i] : undefined;
}

/** " (did you mean 'x'?)" when a valid name is near `word`, else "". */
export function didYouMean(word: string, options: readonly string[]): string {
  const n = nearest(word, options);
  return n === undefined ? "" : ` (did you mean '${n}'?)`;
}

/** One line per unknown field, in the order of `keys`: the nearest valid field name, else all of them. */
export function unknownFieldsMessage(keys: readonly string[], known: readonly string[]): string {
  return keys.map((k) => `unknown field '${k}'${didYouMean(k, known) || `; the fields here are ${known.join(", ")}`}`).join("\n");
}
