// The playground as a person uses it: open / in headless Chromium (Debian's,
// with a fresh profile), run the default query, and read the answer on the
// page; then run the live-changes subscription and see an edit arrive.
// Keeps screenshots in $ARTIFACTS. Fails if the page asks anything of
// a host other than the server: the playground must work offline.
import { mkdtemp, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const base = process.env.BASE_URL;
const artifacts = process.env.ARTIFACTS || "artifacts";
if (!base) throw new Error("set BASE_URL to the running server");

const profile = await mkdtemp(join(tmpdir(), "artistgraph-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  viewport: { width: 1400, height: 900 },
});
const failures = [];
try {
  const page = await context.newPage();
  const origin = new URL(base).origin;
  const foreign = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith("data:")) foreign.push(r.url());
  });
  page.on("pageerror", (e) => failures.push("page error: " + e.message));

  await page.goto(base + "/", { waitUntil: "networkidle" });
  await page.locator(".graphiql-execute-button").click({ timeout: 15000 });
  const response = page.locator(".graphiql-response");
  await response.getByText("Jung Kook feat. Latto").first().waitFor({ timeout: 15000 });
  const text = await response.innerText();
  for (const want of ['"creditLine": "Jung Kook feat. Latto"', '"released": "2023-07-14"']) {
    if (!text.includes(want)) failures.push(`the answer on the page lacks ${want}`);
  }
  await mkdir(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, "playground.png") });

  // Subscriptions: open the LiveChanges tab, run it, make an edit from
  // outside the page, and see the change arrive on the page.
  if (process.env.TOKEN) {
    await page.locator(".graphiql-tab", { hasText: "LiveChanges" }).first().click({ timeout: 15000 });
    // GraphiQL takes the operation's name from the editor a moment after a
    // tab opens; run sooner and it sends the previous tab's name. A person
    // is never that quick.
    await page.locator(".graphiql-query-editor").getByText("subscription LiveChanges").first().waitFor({ timeout: 15000 });
    await page.waitForTimeout(1000);
    await page.locator(".graphiql-execute-button").click({ timeout: 15000 });
    const ask = async (query, variables, auth) => {
      const res = await fetch(base + "/graphql", {
        method: "POST",
        headers: { "Content-Type": "application/json", ...(auth ? { Authorization: "Bearer " + process.env.TOKEN } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()).data;
    };
    // The subscription starts when the websocket is up: edit once a second
    // until a change shows, for at most 20 seconds.
    const seen = response.getByText("e2e live change").first();
    for (let i = 0; ; i++) {
      const { artist } = await ask('{ artist(slug: "jungkook") { id revision } }');
      await ask('mutation($id: ID!, $r: Int!, $n: String!) { updateArtist(id: $id, revision: $r, input: { note: $n }, summary: "e2e live change") { id } }',
        { id: artist.id, r: artist.revision, n: "seen live " + i }, true);
      try {
        await seen.waitFor({ timeout: 1000 });
        break;
      } catch (e) {
        if (i >= 20) throw e;
      }
    }
    await page.screenshot({ path: join(artifacts, "playground-subscription.png") });
  } else {
    failures.push("set TOKEN (an editor's) to test subscriptions in the playground");
  }
  if (foreign.length > 0) failures.push("the page asked other hosts: " + foreign.join(", "));
} catch (e) {
  failures.push(String(e));
  await mkdir(artifacts, { recursive: true });
  for (const p of context.pages()) await p.screenshot({ path: join(artifacts, "playground-failure.png") }).catch(() => {});
} finally {
  await context.close();
}
if (failures.length > 0) {
  console.error("playground: FAIL\n  " + failures.join("\n  "));
  process.exit(1);
}
console.log("playground: ok (screenshot in " + join(artifacts, "playground.png") + ")");
