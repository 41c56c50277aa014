// The merged commit(s) of this step, as found upstream; sources in series/README.md.
import type { UpstreamCommit } from "../step.js";

export const upstream: readonly UpstreamCommit[] = [
  {
    commit: "e42c8ff2999de1239a57d434bfbd8e9f2a56e814",
    subject: "mm: numa: Use a two-stage filter to restrict pages being migrated for unlikely task<->node relationships",
    author: "Mel Gorman",
    tags: [{ kind: "Signed-off-by", names: ["Mel Gorman"] }],
    tagsFrom: "the commit message",
    diffstat: {
      from: "the v10 mail",
      files: [{ path: "mm/mempolicy.c", added: 29, removed: 1 }],
      filesChanged: 1,
      insertions: 29,
      deletions: 1,
    },
    posted: {
      messageId: "1354875832-9700-40-git-send-email-mgorman@suse.de",
      date: "Fri, 7 Dec 2012 10:23:42 +0000",
      where: "[PATCH 39/49] of Automatic NUMA Balancing v10, sent by Mel Gorman to linux-mm and linux-kernel; archived at kvack.org",
    },
    notes: [],
  },
];
