// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: {
      unknown:
        "Not established. In mainline the parent of step 16's commit d10e63f29488 is 1ba6e0b50b479cbadb8f05ebde3020da9ac87201, but no source that was read names that commit's subject.",
    },
    subject: "mm: numa: split_huge_page: transfer the NUMA type from the pmd to the pte",
    author: "Andrea Arcangeli",
    tags: [
      { kind: "Signed-off-by", names: ["Andrea Arcangeli", "Mel Gorman"] },
      { kind: "Reviewed-by", names: ["Rik van Riel"] },
    ],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [{ path: "mm/huge_memory.c", added: 2, removed: 0 }],
      filesChanged: 1,
      insertions: 2,
      deletions: 0,
    },
    posted: {
      messageId: "1354875832-9700-15-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:17 +0000",
      where: "[PATCH 14/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
