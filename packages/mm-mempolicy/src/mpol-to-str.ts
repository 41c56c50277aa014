/** mm/mempolicy.c: mpol_to_str, the policy text of /proc/PID/numa_maps. */
import {
  MPOL_BIND,
  MPOL_F_LOCAL,
  MPOL_F_RELATIVE_NODES,
  MPOL_F_STATIC_NODES,
  MPOL_INTERLEAVE,
  MPOL_PREFERRED,
  nodelistFormat,
  type Mempolicy,
  type Nodemask,
} from "@balancenuma/include-linux";
import { DEFAULT_POLICY } from "./policy.js";

/**
 * mm/mempolicy.c: mpol_to_str (with a task context, as numa_maps calls it): the mode name
 * ("default", "prefer", "bind", "interleave", or "local" for MPOL_PREFERRED|MPOL_F_LOCAL), then
 * "=static" / "=relative" for a mode flag, then ":" and the nodelist if there are nodes.
 */
export function mpolToStr(pol: Mempolicy | null): string {
  if (pol === null || pol === DEFAULT_POLICY) return "default";
  let name: string;
  let nodes: Nodemask = 0n;
  switch (pol.mode) {
    case MPOL_PREFERRED:
      if (pol.flags & MPOL_F_LOCAL) name = "local";
      else {
        name = "prefer";
        nodes = 1n << BigInt(pol.preferredNode);
      }
      break;
    case MPOL_BIND:
      name = "bind";
      nodes = pol.nodes;
      break;
    case MPOL_INTERLEAVE:
      name = "interleave";
      nodes = pol.nodes;
      break;
    default:
      name = "default";
  }
  if (pol.flags & MPOL_F_STATIC_NODES) name += "=static";
  else if (pol.flags & MPOL_F_RELATIVE_NODES) name += "=relative";
  return nodes !== 0n ? `${name}:${nodelistFormat(nodes)}` : name;
}
