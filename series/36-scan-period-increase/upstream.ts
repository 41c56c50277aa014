// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: {
      unknown:
        "Not found in the copies of the mainline history that were searched (googlesource mirrors of kernel.org, Android and vendor kernel trees, gitweb sites).",
    },
    subject: "sched: numa: Slowly increase the scanning period as NUMA faults are handled",
    author: "Mel Gorman",
    tags: [{ kind: "Signed-off-by", names: ["Mel Gorman"] }],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [{ path: "kernel/sched/fair.c", added: 10, removed: 1 }],
      filesChanged: 1,
      insertions: 10,
      deletions: 1,
    },
    posted: {
      messageId: "1354875832-9700-36-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:38 +0000",
      where: "[PATCH 35/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
