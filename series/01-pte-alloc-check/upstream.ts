// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: "4fd017708c4a067da51a2b5cf8aedddf4e840b1f",
    subject: "mm: Check if PTE is already allocated during page fault",
    author: "Mel Gorman",
    tags: [
      { kind: "Reported-by", names: ["Raz Ben Yehuda"] },
      { kind: "Signed-off-by", names: ["Mel Gorman", "Andrea Arcangeli"] },
    ],
    tagsFrom: "the commit message up to Andrea Arcangeli's sign-off and a note that the patch came through the AutoNUMA tree (later lines were not read)",
    diffstat: {
      from: "the April 2011 posting",
      files: [{ path: "mm/memory.c", added: 1, removed: 1 }],
      filesChanged: 1,
      insertions: 1,
      deletions: 1,
    },
    posted: {
      messageId: "20110415101248.GB22688@suse.de",
      date: "Fri, 15 Apr 2011 11:12:48 +0100",
      where: "sent alone to Andrew Morton with linux-mm and linux-kernel (stable on Cc); archived at kvack.org",
    },
    notes: [
      "Not part of the v10 posting: Mel Gorman added it to the v11 pull request (linux-mm, Message-Id `<20121211163017.GR1009@suse.de>`, 11 Dec 2012) so that it would not get lost.",
      "The v11 pull's diffstat changes 3 lines of mm/memory.c more than v10, so the merged commit differs from the 2011 posting by one line (the condition is split over two lines).",
    ],
  },
];
