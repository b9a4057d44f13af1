// The GraphQL over HTTP audit (graphql-http's serverAudits) against the real
// server: every MUST, SHOULD and MAY of the specification it checks. Any
// result but "ok" fails.
import { auditServer } from "graphql-http";

const base = process.env.BASE_URL;
if (!base) throw new Error("set BASE_URL to the running server");

const results = await auditServer({ url: base + "/graphql" });
const failed = results.filter((r) => r.status !== "ok");
for (const r of failed) {
  console.error(`audit: ${r.status}: ${r.name}: ${r.reason}`);
}
console.log(`audit: ${results.length - failed.length} passed, ${failed.length} failed`);
if (failed.length > 0) process.exit(1);
