import { closest, distance } from "fastest-levenshtein";

/**
 * " (did you mean 'numa02'?)" for a name that is a near miss of a known one (edit distance at most a
 * third of the known name, and at least 2 allowed), else "". Follows the name in "unknown ..." messages.
 */
export function didYouMean(word: string, names: readonly string[]): string {
  if (word === "" || names.length === 0) return "";
  const best = closest(word, [...names]);
  return distance(word, best) <= Math.max(2, Math.floor(best.length / 3)) ? ` (did you mean '${best}'?)` : "";
}
