import { SERIES } from "@balancenuma/series";
import { invariantsAtSteps } from "./invariants.js";

invariantsAtSteps(25, SERIES.length);
