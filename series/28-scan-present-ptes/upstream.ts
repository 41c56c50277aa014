// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: {
      unknown:
        "Not found in the copies of the mainline history that were searched (googlesource mirrors of kernel.org, Android and vendor kernel trees, gitweb sites).",
    },
    subject: "sched, numa, mm: Count WS scanning against present PTEs, not virtual memory ranges",
    author: "Mel Gorman",
    tags: [
      { kind: "Suggested-by", names: ["Ingo Molnar"] },
      { kind: "Signed-off-by", names: ["Peter Zijlstra", "Ingo Molnar", "Mel Gorman"] },
    ],
    tagsFrom: "the v10 mail",
    diffstat: {
      from: "the v10 mail",
      files: [{ path: "kernel/sched/fair.c", added: 21, removed: 15 }],
      filesChanged: 1,
      insertions: 21,
      deletions: 15,
    },
    posted: {
      messageId: "1354875832-9700-28-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:30 +0000",
      where: "[PATCH 27/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: ["The mail has no From: line (so git credits the sender, Mel Gorman, as the v11 pull does) but Peter Zijlstra signed off first."],
  },
];
