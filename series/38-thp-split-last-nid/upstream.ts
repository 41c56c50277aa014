// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: {
      unknown:
        "Not found in the copies of the mainline history that were searched (googlesource mirrors of kernel.org, Android and vendor kernel trees, gitweb sites).",
    },
    subject: "mm: numa: split_huge_page: Transfer last_nid on tail page",
    author: "Hillf Danton",
    tags: [{ kind: "Signed-off-by", names: ["Hillf Danton", "Mel Gorman"] }],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [{ path: "mm/huge_memory.c", added: 1, removed: 0 }],
      filesChanged: 1,
      insertions: 1,
      deletions: 0,
    },
    posted: {
      messageId: "1354875832-9700-38-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:40 +0000",
      where: "[PATCH 37/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
