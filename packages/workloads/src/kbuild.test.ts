import { describe, expect, it } from "vitest";
import { PAGE_SIZE } from "@balancenuma/include-linux";
import { renderNumaMaps } from "@balancenuma/kernel";
import { runWorkload } from "./run.js";

describe("kbuild", () => {
  it("reads its source tree from tmpfs: one page-cache copy, mapped by every compiler run", () => {
    const files = 6;
    const fileLines = new Set<string>();
    const { report, kernel: k } = runWorkload({
      workload: "kbuild",
      args: ["--files", String(files), "--cc-ms", "5", "--src-kb", "8", "--headers-mb", "1"],
      topology: "nodes=2,cpus=2,mem=128M",
      seconds: 5,
      scale: 1 / 4,
      onTick: (kk) => {
        for (const t of kk.tasks.values())
          if (t.comm === "cc1" && t.exitNs < 0) for (const l of renderNumaMaps(kk, t).split("\n")) if (l.includes("file=")) fileLines.add(l.split(" ")[2]);
      },
    });
    expect(report.score!.metrics["jobs done"]).toBe(files);
    // make wrote the tree once (at scale 1/4: a page of source per run, 2 KB rounded up, and 256 KB
    // of headers); each compiler run faults its source page and every header page from the cache.
    const headerPages = (256 * 1024) / PAGE_SIZE;
    expect(k.memory.stats.shmemPagesAllocated).toBe(files + headerPages);
    expect(k.memory.stats.shmemFaults).toBe(files + headerPages + files * (1 + headerPages));
    expect([...fileLines].sort()).toEqual(["file=/tmp/kbuild-headers", "file=/tmp/kbuild-sources"]);
    k.checkInvariants();
  });
});
