-- wrk script: sends the requests listed in the file named by $BENCH_REQUESTS, in turn.
-- The file (written by benchmarks/wrk.py) holds one request per block:
--   "POST /path" on its first line, then "Name: value" header lines, then an empty line,
--   then the body on one line (JSON, no newline inside), then a line "--".
-- Requests are formatted once in init(), so the per-request Lua cost is one table index.
local requests = {}
local index = 0

local function load(path)
  local file = assert(io.open(path, "rb"))
  local text = file:read("*a")
  file:close()
  for block in text:gmatch("(.-)\n%-%-\n") do
    local head, body = block:match("^(.-)\n\n(.*)$")
    local method, target = head:match("^(%u+) (%S+)")
    local headers = {}
    for name, value in head:gmatch("\n([^:\n]+): ([^\n]*)") do
      headers[name] = value
    end
    requests[#requests + 1] = wrk.format(method, target, headers, body)
  end
  assert(#requests > 0, "no request in " .. path)
end

function init(args)
  load(assert(os.getenv("BENCH_REQUESTS"), "BENCH_REQUESTS is not set"))
end

function request()
  index = index % #requests + 1
  return requests[index]
end
