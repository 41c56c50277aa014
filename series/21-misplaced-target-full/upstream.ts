// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: {
      unknown:
        "Not found in the copies of the mainline history that were searched (googlesource mirrors of kernel.org, Android and vendor kernel trees, gitweb sites).",
    },
    subject: "mm: migrate: Drop the misplaced pages reference count if the target node is full",
    author: "Mel Gorman",
    tags: [{ kind: "Signed-off-by", names: ["Hillf Danton", "Mel Gorman"] }],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [{ path: "mm/migrate.c", added: 10, removed: 7 }],
      filesChanged: 1,
      insertions: 10,
      deletions: 7,
    },
    posted: {
      messageId: "1354875832-9700-21-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:23 +0000",
      where: "[PATCH 20/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: ["The mail has no From: line and Hillf Danton's sign-off comes first; the v11 pull credits Mel Gorman."],
  },
];
