// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: {
      unknown:
        "Not found in the copies of the mainline history that were searched (googlesource mirrors of kernel.org, Android and vendor kernel trees, gitweb sites).",
    },
    subject: "mm: migrate: Account a transhuge page properly when rate limiting",
    author: "Mel Gorman",
    tags: [{ kind: "Signed-off-by", names: ["Mel Gorman"] }],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [{ path: "mm/migrate.c", added: 4, removed: 4 }],
      filesChanged: 1,
      insertions: 4,
      deletions: 4,
    },
    posted: {
      messageId: "1354875832-9700-48-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:50 +0000",
      where: "[PATCH 47/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
