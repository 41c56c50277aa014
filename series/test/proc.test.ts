import { describe, expect, it } from "vitest";
import { MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE, TOUCH_STREAM } from "@balancenuma/include-linux";
import { bootAtStep } from "../boot.js";
import { renderNumaMaps, renderNumastat } from "@balancenuma/kernel";

const small = "nodes=2,cpus=2,mem=64M";

/** A process that maps 4 MiB and first-touches `pages` 4 KiB pages of it. */
function touched(step: number, thp: "always" | "never", pages: number) {
  const k = bootAtStep({ topology: small, step, thp });
  const t = k.createProcess({ comm: "t" });
  const u = k.userApi(t);
  const addr = u.mmap(0, 4 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  u.touch(addr, pages, 4096, 4096, true, TOUCH_STREAM);
  return { k, t, addr };
}

describe("/proc/PID/numa_maps", () => {
  it("prints one line per vma: start address, policy, then anon/dirty/active and per-node counts of 4 KiB pages", () => {
    const { k, t, addr } = touched(0, "never", 100);
    expect(renderNumaMaps(k, t)).toMatch(new RegExp(`^${addr.toString(16)} default anon=100 dirty=100 active=0 N[01]=100\n$`));
  });

  it("counts a transparent huge page as 512 pages, and shows prefer:<reader's node> from step 31", () => {
    const { k, t, addr } = touched(31, "always", 1);
    expect(renderNumaMaps(k, t)).toMatch(new RegExp(`^${addr.toString(16)} prefer:0 anon=512 dirty=512 active=0 N[01]=512\n$`));
    expect(renderNumaMaps(k, t, 3)).toMatch(/ prefer:1 /);
  });

  it("prints only address and policy for a vma with nothing mapped", () => {
    const { k, t, addr } = touched(0, "never", 0);
    expect(renderNumaMaps(k, t)).toBe(`${addr.toString(16)} default\n`);
  });
});

describe("numastat -p", () => {
  const maps = "7f0000000000 default anon=300 dirty=300 N0=256 N1=44\n7f0000400000 default huge anon=2 N1=2\n7f0001000000 default stack anon=3 N0=3\n";

  it("prints numastat's per-node MB table for one process, Huge counted in huge pages", () => {
    expect(renderNumastat([{ pid: 7, comm: "numa01", numaMaps: maps }], { nodes: [0, 1] })).toBe(
      [
        "",
        "Per-node process memory usage (in MBs) for PID 7 (numa01)",
        "                           Node 0          Node 1           Total",
        "                  --------------- --------------- ---------------",
        "Huge                         0.00            4.00            4.00",
        "Heap                         0.00            0.00            0.00",
        "Stack                        0.01            0.00            0.01",
        "Private                      1.00            0.17            1.17",
        "----------------  --------------- --------------- ---------------",
        "Total                        1.01            4.17            5.18",
        "",
      ].join("\n"),
    );
  });

  it("prints one row per process for several processes, as numastat -p does without -v", () => {
    const text = renderNumastat(
      [
        { pid: 1, comm: "a", numaMaps: "7f0000000000 default N0=256\n" },
        { pid: 2, comm: "b", numaMaps: "7f0000000000 default N1=512\n" },
      ],
      { nodes: [0, 1] },
    );
    expect(text.split("\n").slice(1, 4)).toEqual([
      "Per-node process memory usage (in MBs)",
      "PID                        Node 0          Node 1           Total",
      "----------------  --------------- --------------- ---------------",
    ]);
    expect(text).toContain("1 (a)                        1.00            0.00            1.00\n");
    expect(text).toContain("Total                        1.00            2.00            3.00\n");
  });
});
