/**
 * JVM options for the Java tools the project starts for a short while on a shared machine: the
 * time-skipping test server (one per test file or story, seconds to minutes) and veraPDF (one
 * validation). In that time the optimising JIT (C2) and G1's concurrent threads cost more CPU than
 * they give back, and the two cores they take are the test's. Measured here: a story file of 5
 * stories spent 16–19 CPU-s in the test server with the JVM's defaults and 9.3 with these; the
 * 1,000-partner cycle (3 minutes) 75.9 against 70.6; a veraPDF validation 5.5 against 2.5 (also
 * a second sooner). The environment's JAVA_TOOL_OPTIONS still apply on top.
 */
export const shortLivedJvmOptions = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];
