-- One request body, from the file named by BODY, posted again and again:
-- for the read shapes of BENCHMARKS.md (scripts/compare-reads).
local f = assert(io.open(os.getenv("BODY"), "r"))
local payload = f:read("*a")
f:close()

request = function()
  return wrk.format("POST", "/graphql", {["Content-Type"] = "application/json"}, payload)
end

response = function(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"') then
    io.stderr:write("bad response " .. status .. ": " .. string.sub(body, 1, 200) .. "\n")
  end
end
