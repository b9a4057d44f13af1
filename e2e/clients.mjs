// Real GraphQL clients from npm against the running server: graphql-request
// and @apollo/client each run queries and a mutation (with the token in
// $TOKEN), and a refused write comes back as the error a client expects.
import assert from "node:assert/strict";
import { GraphQLClient, gql as gqlRequest } from "graphql-request";
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";

const base = process.env.BASE_URL;
const token = process.env.TOKEN;
if (!base || !token) throw new Error("set BASE_URL and TOKEN");
const endpoint = base + "/graphql";
const run = Date.now().toString(36);

async function withGraphQLRequest() {
  const reader = new GraphQLClient(endpoint);
  const seven = await reader.request(gqlRequest`
    query Seven($slug: String!) { song(slug: $slug) { creditLine released credits { role act { name } } } }
  `, { slug: "seven" });
  assert.equal(seven.song.creditLine, "Jung Kook feat. Latto");
  assert.deepEqual(seven.song.credits.map((c) => c.act.name), ["Jungkook", "Latto"]);

  const writer = new GraphQLClient(endpoint, { headers: { Authorization: `Bearer ${token}` } });
  const slug = `npm-request-${run}`;
  const created = await writer.request(gqlRequest`
    mutation Create($slug: String!) { createArtist(input: { slug: $slug, name: "From graphql-request", country: "KR" }, summary: "e2e") { id revision country } }
  `, { slug });
  assert.equal(created.createArtist.revision, 1);
  const updated = await writer.request(gqlRequest`
    mutation Update($id: ID!) { updateArtist(id: $id, revision: 1, input: { country: null }) { revision country } }
  `, { id: created.createArtist.id });
  assert.deepEqual(updated.updateArtist, { revision: 2, country: null });

  // A stale revision: graphql-request throws, with the GraphQL errors on it.
  await assert.rejects(
    writer.request(gqlRequest`mutation($id: ID!) { updateArtist(id: $id, revision: 1, input: { note: "late" }) { revision } }`, { id: created.createArtist.id }),
    (e) => e.response?.errors?.[0]?.extensions?.code === "CONFLICT",
  );
  // Without the token, the write is refused.
  await assert.rejects(
    reader.request(gqlRequest`mutation { createChart(input: { slug: "nope", name: "Nope" }) { id } }`),
    (e) => e.response?.errors?.[0]?.extensions?.code === "UNAUTHENTICATED",
  );
}

async function withApollo() {
  const client = new ApolloClient({
    link: new HttpLink({ uri: endpoint, headers: { Authorization: `Bearer ${token}` } }),
    cache: new InMemoryCache(),
  });
  const { data } = await client.query({
    query: gql`query Jungkook { artist(slug: "jungkook") { id name memberships { group { name } start } } }`,
  });
  assert.equal(data.artist.name, "Jungkook");
  assert.equal(data.artist.memberships[0].group.name, "BTS");

  const slug = `npm-apollo-${run}`;
  const created = await client.mutate({
    mutation: gql`mutation Create($slug: String!) { createSong(input: { slug: $slug, name: "From Apollo", released: "2024-05" }) { id name released revision } }`,
    variables: { slug },
  });
  assert.equal(created.data.createSong.released, "2024-05");

  const history = await client.query({
    query: gql`query History($id: ID!) { node(id: $id) { id ... on Song { history { edges { node { action actor summary } } } } } }`,
    variables: { id: created.data.createSong.id },
  });
  assert.equal(history.data.node.history.edges[0].node.action, "CREATE");

  // An invalid write: Apollo rejects with the server's problems.
  await assert.rejects(
    client.mutate({ mutation: gql`mutation { createSong(input: { slug: "Bad Slug", name: "x" }) { id } }` }),
    (e) => JSON.stringify(e).includes("INVALID") || String(e).includes("not a slug"),
  );
}

let failed = false;
for (const [name, test] of [["graphql-request", withGraphQLRequest], ["@apollo/client", withApollo]]) {
  try {
    await test();
    console.log(`clients: ${name} ok`);
  } catch (e) {
    failed = true;
    console.error(`clients: ${name} FAIL`, e);
  }
}
process.exit(failed ? 1 : 0);
