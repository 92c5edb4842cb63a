-- wrk -s wrk_post_cases.lua URL -- LISTFILE : POST the case files named in LISTFILE (one path a line) in turn,
-- starting at a random one per thread (test_bench_sparql.py: POST /classify)
local bodies = {}
local counter = 0
function init(args)
  local list = io.open(args[1])
  for path in list:lines() do
    local f = io.open(path, "rb")
    bodies[#bodies + 1] = f:read("*a")
    f:close()
  end
  list:close()
  counter = math.random(#bodies)
end
function request()
  counter = counter % #bodies + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, bodies[counter])
end
