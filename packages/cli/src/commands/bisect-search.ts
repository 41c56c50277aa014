export type Verdict = "good" | "bad" | "skip";

export interface SearchResult {
  /** The first bad step, when no skipped step hides it. */
  firstBad?: number;
  /** The last good step below it. */
  lastGood: number;
  /** When skips leave it open: the steps any of which may be the first bad one. */
  candidates: number[];
}

/**
 * Binary search for the first bad step between a good and a bad step (both already judged), as
 * git bisect does: test the middle step; a skipped step is set aside and its nearest untested
 * neighbour to the middle is tried instead.
 */
export function searchFirstBad(good: number, bad: number, judge: (step: number) => Verdict): SearchResult {
  const skipped = new Set<number>();
  for (;;) {
    const open: number[] = [];
    for (let s = good + 1; s < bad; s++) if (!skipped.has(s)) open.push(s);
    if (open.length === 0) break;
    const mid = (good + bad) / 2;
    // Closest to the middle; on a tie the lower step (the series' order is the only order).
    const pick = open.reduce((a, b) => (Math.abs(b - mid) < Math.abs(a - mid) ? b : a));
    const v = judge(pick);
    if (v === "good") good = pick;
    else if (v === "bad") bad = pick;
    else skipped.add(pick);
  }
  const hidden = [...skipped].filter((s) => s > good && s < bad).sort((a, b) => a - b);
  return hidden.length ? { lastGood: good, candidates: [...hidden, bad] } : { firstBad: bad, lastGood: good, candidates: [bad] };
}

/** Majority over seeds; a tie or no good/bad at all is a skip. */
export function majority(verdicts: Verdict[]): Verdict {
  const good = verdicts.filter((v) => v === "good").length;
  const bad = verdicts.filter((v) => v === "bad").length;
  return good > bad ? "good" : bad > good ? "bad" : "skip";
}
