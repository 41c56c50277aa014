import { invariantsAtSteps } from "./invariants.js";

invariantsAtSteps(0, 24);
