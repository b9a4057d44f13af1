-- A mixed read workload for wrk against the large synthetic graph: slug
-- lookups, node pages, search and a nested query, chosen at random. ARTISTS
-- and SONGS give the graph's size when it is another one. With BODY naming
-- a file, that one request body is posted again and again instead (the
-- read shapes of scripts/compare-reads). LOOKUP=1 asks the slug lookups
-- alone.
local artists = tonumber(os.getenv("ARTISTS") or "100000")
local songs = tonumber(os.getenv("SONGS") or "1000000")
local syllables = {"ka", "ri", "mo", "na", "ze", "lu", "to", "vi", "sa", "re"}

local function body(query, vars)
  local parts = {}
  for k, v in pairs(vars) do
    parts[#parts + 1] = string.format('"%s": "%s"', k, v)
  end
  return string.format('{"query": "%s", "variables": {%s}}', query, table.concat(parts, ", "))
end

local queries = {
  function()
    return body("query($s: String!) { artist(slug: $s) { name birthDate memberships { group { name } } } }",
      {s = "artist-" .. math.random(0, artists - 1)})
  end,
  function()
    return body("query($s: String!) { song(slug: $s) { name released creditLine credits { role act { name } } milestones { threshold reached } } }",
      {s = "song-" .. math.random(0, songs - 1)})
  end,
  function()
    return body("query($q: String!) { search(query: $q, first: 10) { edges { node { name } } } }",
      {q = syllables[math.random(#syllables)] .. syllables[math.random(#syllables)]})
  end,
  function()
    return body("query($s: String!) { artist(slug: $s) { credits(first: 10) { totalCount edges { node { work { name credits { act { name } } } } } } } }",
      {s = "artist-" .. math.random(0, artists - 1)})
  end,
}

if os.getenv("LOOKUP") == "1" then
  queries = {queries[1], queries[2]}
end

local fixed = nil
local path = os.getenv("BODY")
if path and path ~= "" then
  local f = assert(io.open(path, "r"))
  fixed = f:read("*a")
  f:close()
end

request = function()
  return wrk.format("POST", "/graphql", {["Content-Type"] = "application/json"}, fixed or queries[math.random(#queries)]())
end

response = function(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"') then
    io.stderr:write("bad response " .. status .. ": " .. string.sub(body, 1, 200) .. "\n")
  end
end
