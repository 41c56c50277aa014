// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: {
      unknown:
        "Not found in the copies of the mainline history that were searched (googlesource mirrors of kernel.org, Android and vendor kernel trees, gitweb sites).",
    },
    subject: "mm: sched: numa: Control enabling and disabling of NUMA balancing if !SCHED_DEBUG",
    author: "Mel Gorman",
    tags: [{ kind: "Signed-off-by", names: ["Mel Gorman"] }],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [
        { path: "kernel/sched/core.c", added: 9, removed: 0 },
        { path: "kernel/sched/sched.h", added: 7, removed: 1 },
      ],
      filesChanged: 2,
      insertions: 16,
      deletions: 1,
    },
    posted: {
      messageId: "1354875832-9700-43-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:45 +0000",
      where: "[PATCH 42/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
