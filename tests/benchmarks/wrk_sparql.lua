-- wrk -s wrk_sparql.lua URL -- KIND SUBJECTS : GET a SPARQL query, a different one each request (KIND:
-- point, groupby or join; the same queries as QUERIES in test_bench_sparql.py)
local kind, subjects, counter = "point", 10000, 0
local EX = "http://example.org/bench/"
local function enc(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
function init(args)
  kind = args[1] or kind
  subjects = tonumber(args[2] or subjects)
  counter = math.random(1000000)
end
function request()
  counter = counter + 1
  local q
  if kind == "point" then
    q = "SELECT ?p ?o WHERE { <" .. EX .. "s/" .. ((counter * 7919) % subjects) .. "> ?p ?o }"
  elseif kind == "groupby" then
    q = "SELECT ?g (COUNT(?s) AS ?n) WHERE { ?s <" .. EX .. "group> ?g } GROUP BY ?g"
  else
    q = "SELECT ?s ?name WHERE { ?s <" .. EX .. "group> <" .. EX .. "group/" .. (counter % 100) .. "> . ?s <" .. EX .. "name> ?name }"
  end
  return wrk.format("GET", wrk.path .. "?query=" .. enc(q), {["Accept"] = "application/sparql-results+json"})
end
