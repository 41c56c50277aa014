// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: "0b9d705297b273657923518dbea2377cd03532ed",
    subject: "mm: numa: Support NUMA hinting page faults from gup/gup_fast",
    author: "Andrea Arcangeli",
    tags: [
      { kind: "Originally-by", names: ["Andrea Arcangeli"] },
      { kind: "Signed-off-by", names: ["Ingo Molnar"] },
      { kind: "Reviewed-by", names: ["Rik van Riel"] },
    ],
    tagsFrom: "the commit message",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "include/linux/mm.h", added: 1, removed: 0 },
        { path: "mm/memory.c", added: 17, removed: 0 },
      ],
      filesChanged: 2,
      insertions: 18,
      deletions: 0,
    },
    posted: {
      messageId: "1354875832-9700-14-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:16 +0000",
      where: "[PATCH 13/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
