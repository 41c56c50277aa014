// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: {
      unknown:
        "Not found in the copies of the mainline history that were searched (googlesource mirrors of kernel.org, Android and vendor kernel trees, gitweb sites).",
    },
    subject: "mm/rmap: Convert the struct anon_vma::mutex to an rwsem",
    author: "Ingo Molnar",
    tags: [
      { kind: "Suggested-by", names: ["Linus Torvalds"] },
      { kind: "Reviewed-by", names: ["Rik van Riel"] },
      { kind: "Signed-off-by", names: ["Ingo Molnar", "Mel Gorman"] },
    ],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "include/linux/rmap.h", added: 8, removed: 8 },
        { path: "mm/huge_memory.c", added: 2, removed: 2 },
        { path: "mm/mmap.c", added: 4, removed: 4 },
        { path: "mm/rmap.c", added: 11, removed: 11 },
      ],
      filesChanged: 4,
      insertions: 25,
      deletions: 25,
    },
    posted: {
      messageId: "1354875832-9700-49-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:51 +0000",
      where: "[PATCH 48/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
